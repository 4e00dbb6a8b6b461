// Keeps the library non-empty until its first sources land (the stand-in cloud, issue 4).
namespace gizrig::cloud {
int cloudLibraryVersion() {
  return 1;
}
}  // namespace gizrig::cloud
