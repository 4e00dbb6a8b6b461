// The action registry, and the standard set the rig ships (one file per plug family).
#include "gizrig/engine/engine_actions.h"

namespace gizrig::core {

void ActionRegistry::add(ActionSpec spec) {
  const QString name = spec.name;
  specs_.insert_or_assign(name, std::move(spec));
}

const ActionSpec* ActionRegistry::find(const QString& name) const {
  const auto it = specs_.find(name);
  return it == specs_.end() ? nullptr : &it->second;
}

QStringList ActionRegistry::names() const {
  QStringList names;
  for (const auto& [name, spec] : specs_) names << name;
  return names;
}

ActionRegistry standardActions() {
  ActionRegistry registry;
  addMcuActions(registry);
  addAppActions(registry);
  addRouterActions(registry);
  addCloudActions(registry);
  return registry;
}

}  // namespace gizrig::core
