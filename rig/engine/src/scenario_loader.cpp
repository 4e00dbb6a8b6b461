// Scenario and suite files -> scenario.h. Strict on purpose: an unknown key, a misspelt action or a bad
// duration is an error naming file, step and field, never a silent default that makes a test pass.
#include "gizrig/engine/scenario_loader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "gizrig/engine/scenario_duration.h"
#include "gizrig/files/capped_file.h"
#include "gizrig/files/json_duplicates.h"
#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::core {
namespace {

// Keys every step may carry; everything else on a "do" step is an action parameter.
const QSet<QString>& commonStepKeys() {
  static const QSet<QString> keys = {"name", "timeout", "retry", "clauses", "continueOnFail", "comment"};
  return keys;
}

class StepError {
 public:
  StepError(QString where, QString reason) : where_(std::move(where)), reason_(std::move(reason)) {}
  [[nodiscard]] QString text(const QString& file) const {
    return QStringLiteral("%1: %2: %3").arg(file, where_, reason_);
  }

 private:
  QString where_;
  QString reason_;
};

QString badDuration(const QJsonValue& value) {
  const QString shown =
      value.isString() ? QStringLiteral("\"%1\"").arg(value.toString())
                       : QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
                             .mid(1)
                             .chopped(1);
  return QStringLiteral("bad duration %1 (use 200ms, 10s, 3min or 2h)").arg(shown);
}

// Returns "" or the reason; `out` gets the value.
QString readDuration(const QJsonValue& value, RigMillis& out) {
  if (!value.isString()) return badDuration(value);
  const auto ms = parseDuration(value.toString());
  if (!ms) return badDuration(value);
  if (*ms > kMaxScenarioDurationMs) {
    return QStringLiteral("\"%1\" is longer than %2 (the longest a scenario may wait)")
        .arg(value.toString(), formatDuration(kMaxScenarioDurationMs));
  }
  out = *ms;
  return {};
}

QString readStringList(const QJsonValue& value, QStringList& out) {
  if (!value.isArray()) return QStringLiteral("must be a list of strings");
  for (const QJsonValue& item : value.toArray()) {
    if (!item.isString() || item.toString().isEmpty()) return QStringLiteral("must be a list of strings");
    out << item.toString();
  }
  return {};
}

QString readLimits(const QJsonValue& value, std::optional<double>& low, std::optional<double>& high) {
  if (!value.isObject()) return QStringLiteral("must be {\"min\": n, \"max\": n}");
  const QJsonObject limits = value.toObject();
  for (auto it = limits.begin(); it != limits.end(); ++it) {
    if (it.key() != QLatin1String("min") && it.key() != QLatin1String("max")) {
      return QStringLiteral("unknown key \"%1\" (min, max)").arg(it.key());
    }
    if (!it.value().isDouble()) return QStringLiteral("%1 must be a number").arg(it.key());
    (it.key() == QLatin1String("min") ? low : high) = it.value().toDouble();
  }
  if (!low && !high) return QStringLiteral("needs min and/or max");
  if (low && high && *low > *high) return QStringLiteral("min is above max");
  return {};
}

QString readWhere(const QJsonValue& value, std::vector<FieldCondition>& out, QString& badField) {
  if (!value.isObject()) return QStringLiteral("must be an object {field: value | {min, max}}");
  const QJsonObject where = value.toObject();
  for (auto it = where.begin(); it != where.end(); ++it) {
    FieldCondition condition;
    condition.field = it.key();
    if (it.value().isObject()) {
      condition.isRange = true;
      const QString why = readLimits(it.value(), condition.min, condition.max);
      if (!why.isEmpty()) {
        badField = it.key();
        return why;
      }
    } else if (it.value().isArray() || it.value().isNull()) {
      badField = it.key();
      return QStringLiteral("must be a value or {min, max}");
    } else {
      condition.equals = it.value().toVariant();
    }
    out.push_back(std::move(condition));
  }
  return {};
}

// Splits "@last.roundTripMs" / "@login.passcode" and "mcu.ack.ntp" (event names have two or more
// segments, so an event source needs at least three).
QString readFrom(const QString& from, Step& step) {
  if (from.startsWith(QLatin1Char('@'))) {
    const qsizetype dot = from.indexOf(QLatin1Char('.'));
    if (dot <= 1 || dot == from.size() - 1) return QStringLiteral("must be \"@<step name|last>.<field>\"");
    step.source = MeasureSource::ActionResult;
    step.stepRef = from.mid(1, dot - 1);
    step.field = from.mid(dot + 1);
    return {};
  }
  if (from.count(QLatin1Char('.')) < 2 || from.contains(QStringLiteral("..")) ||
      from.endsWith(QLatin1Char('.'))) {
    return QStringLiteral("must be \"<event>.<field>\" (e.g. \"mcu.ack.ntp\") or \"@last.<field>\"");
  }
  step.source = MeasureSource::Event;
  step.from = from;
  return {};
}

std::optional<Step> readStep(const QJsonValue& value, int index, const QString& list,
                             const ActionRegistry& actions, std::optional<StepError>& error) {
  const QString at = QStringLiteral("%1[%2]").arg(list).arg(index);
  auto fail = [&](const QString& field, const QString& reason) {
    error = StepError(field.isEmpty() ? at : QStringLiteral("%1.%2").arg(at, field), reason);
    return std::nullopt;
  };
  if (!value.isObject()) return fail({}, QStringLiteral("a step must be an object"));
  const QJsonObject object = value.toObject();

  Step step;
  step.index = index;
  const QStringList kinds = {"do", "expect", "measure", "wait"};
  int kindCount = 0;
  for (const QString& kind : kinds) kindCount += object.contains(kind) ? 1 : 0;
  if (kindCount != 1) {
    return fail({}, QStringLiteral("needs exactly one of \"do\", \"expect\", \"measure\", \"wait\""));
  }

  // Keys every step shares.
  if (object.contains("name")) {
    if (!object["name"].isString() || object["name"].toString().isEmpty()) {
      return fail("name", QStringLiteral("must be a non-empty string"));
    }
    step.name = object["name"].toString();
  }
  if (object.contains("timeout")) {
    RigMillis ms = 0;
    const QString why = readDuration(object["timeout"], ms);
    if (!why.isEmpty()) return fail("timeout", why);
    step.timeout = ms;
  }
  if (object.contains("retry")) {
    const QJsonValue retry = object["retry"];
    if (!retry.isDouble() || retry.toDouble() != static_cast<double>(retry.toInt()) || retry.toInt() < 0 ||
        retry.toInt() > 100) {
      return fail("retry", QStringLiteral("must be a whole number of extra attempts, 0-100"));
    }
    step.retry = retry.toInt();
  }
  if (object.contains("clauses")) {
    const QString why = readStringList(object["clauses"], step.clauses);
    if (!why.isEmpty()) return fail("clauses", why);
  }
  if (object.contains("continueOnFail")) {
    if (!object["continueOnFail"].isBool())
      return fail("continueOnFail", QStringLiteral("must be true or false"));
    step.continueOnFail = object["continueOnFail"].toBool();
  }
  auto allowOnly = [&](const QSet<QString>& own) -> std::optional<QString> {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (!own.contains(it.key()) && !commonStepKeys().contains(it.key())) return it.key();
    }
    return std::nullopt;
  };
  // "where" and "within" read alike for expect and measure steps: the bad key and why, or nothing.
  auto readWhereAndWithin = [&]() -> std::optional<std::pair<QString, QString>> {
    if (object.contains("where")) {
      QString badField;
      const QString why = readWhere(object["where"], step.where, badField);
      if (!why.isEmpty())
        return std::pair{badField.isEmpty() ? QStringLiteral("where") : "where." + badField, why};
    }
    if (object.contains("within")) {
      RigMillis ms = 0;
      const QString why = readDuration(object["within"], ms);
      if (!why.isEmpty()) return std::pair{QStringLiteral("within"), why};
      step.within = ms;
    }
    return std::nullopt;
  };

  if (object.contains("do")) {
    step.kind = StepKind::Action;
    if (!object["do"].isString()) return fail("do", QStringLiteral("must be an action name"));
    step.action = object["do"].toString();
    const ActionSpec* spec = actions.find(step.action);
    if (spec == nullptr) return fail("do", QStringLiteral("unknown action \"%1\"").arg(step.action));
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (it.key() != QLatin1String("do") && !commonStepKeys().contains(it.key())) {
        step.params.insert(it.key(), it.value().toVariant());
      }
    }
    for (const QString& required : spec->required) {
      if (!step.params.contains(required)) {
        return fail(required, QStringLiteral("missing (required by %1)").arg(step.action));
      }
    }
    if (spec->validate) {
      const QString why = spec->validate(step.params);
      if (!why.isEmpty()) {
        const qsizetype colon = why.indexOf(QStringLiteral(": "));
        return colon > 0 ? fail(why.left(colon), why.mid(colon + 2)) : fail("do", why);
      }
    }
    if (step.name.isEmpty()) step.name = QStringLiteral("do %1").arg(step.action);
  } else if (object.contains("expect")) {
    step.kind = StepKind::Expect;
    if (const auto extra = allowOnly({"expect", "where", "within"})) {
      return fail(*extra, QStringLiteral("unknown key for an expect step"));
    }
    if (!object["expect"].isString() || !object["expect"].toString().contains(QLatin1Char('.'))) {
      return fail("expect", QStringLiteral("must be an event name such as \"mcu.status\""));
    }
    step.event = object["expect"].toString();
    if (const auto bad = readWhereAndWithin()) return fail(bad->first, bad->second);
    if (!step.within) {
      if (!step.timeout) return fail("within", QStringLiteral("missing (how long to wait for the event)"));
      step.within = step.timeout;
    }
    if (step.name.isEmpty()) step.name = QStringLiteral("expect %1").arg(step.event);
  } else if (object.contains("measure")) {
    step.kind = StepKind::Measure;
    if (const auto extra = allowOnly(
            {"measure", "from", "event", "field", "interval", "where", "within", "unit", "limits"})) {
      return fail(*extra, QStringLiteral("unknown key for a measure step"));
    }
    if (!object["measure"].isString() || object["measure"].toString().isEmpty()) {
      return fail("measure", QStringLiteral("must be the measurement's name"));
    }
    step.measure = object["measure"].toString();
    const int sources = (object.contains("from") ? 1 : 0) + (object.contains("event") ? 1 : 0) +
                        (object.contains("interval") ? 1 : 0);
    if (sources != 1)
      return fail("from", QStringLiteral("needs exactly one of \"from\", \"event\"+\"field\", \"interval\""));
    if (object.contains("from")) {
      if (!object["from"].isString()) return fail("from", QStringLiteral("must be a string"));
      const QString why = readFrom(object["from"].toString(), step);
      if (!why.isEmpty()) return fail("from", why);
    } else if (object.contains("event")) {
      if (!object["event"].isString() || !object["field"].isString()) {
        return fail("field", QStringLiteral("\"event\" and \"field\" must both be strings"));
      }
      step.source = MeasureSource::Event;
      step.event = object["event"].toString();
      step.field = object["field"].toString();
    } else {
      const QJsonObject interval = object["interval"].toObject();
      if (!interval["from"].isString() || !interval["to"].isString()) {
        return fail("interval", QStringLiteral("must be {\"from\": \"<event>\", \"to\": \"<event>\"}"));
      }
      step.source = MeasureSource::Interval;
      step.fromEvent = interval["from"].toString();
      step.toEvent = interval["to"].toString();
      step.unit = QStringLiteral("ms");
    }
    if (object.contains("where") && step.source == MeasureSource::ActionResult)
      return fail("where", QStringLiteral("only for event sources"));
    if (const auto bad = readWhereAndWithin()) return fail(bad->first, bad->second);
    if (object.contains("unit")) {
      if (!object["unit"].isString()) return fail("unit", QStringLiteral("must be a string"));
      step.unit = object["unit"].toString();
    }
    if (object.contains("limits")) {
      const QString why = readLimits(object["limits"], step.low, step.high);
      if (!why.isEmpty()) return fail("limits", why);
    }
    if (step.name.isEmpty()) step.name = QStringLiteral("measure %1").arg(step.measure);
  } else {
    step.kind = StepKind::Wait;
    if (const auto extra = allowOnly({"wait"}))
      return fail(*extra, QStringLiteral("unknown key for a wait step"));
    const QString why = readDuration(object["wait"], step.waitMs);
    if (!why.isEmpty()) return fail("wait", why);
    if (step.name.isEmpty()) step.name = QStringLiteral("wait %1").arg(formatDuration(step.waitMs));
  }
  return step;
}

QString readSteps(const QJsonObject& root, const QString& list, const ActionRegistry& actions,
                  std::vector<Step>& out, const QString& file) {
  const QJsonArray steps = root[list].toArray();
  for (qsizetype i = 0; i < steps.size(); ++i) {
    std::optional<StepError> error;
    auto step = readStep(steps[i], static_cast<int>(i), list, actions, error);
    if (!step) return error->text(file);
    out.push_back(std::move(*step));
  }
  return {};
}

std::optional<QByteArray> readWholeFile(const QString& path, QString& error) {
  QString why;
  auto bytes = readCappedFile(path, kMaxDescriptionFileBytes, &why);
  // why = "<path>: <reason>"
  if (!bytes) error = QStringLiteral("%1: cannot read: %2").arg(path, why.mid(path.size() + 2));
  return bytes;
}

// The equipment an action needs beyond the module's serial port and LAN.
QStringList impliedRequirements(const QString& action) {
  if (action == QLatin1String("router.signal"))
    return {QStringLiteral("routers"), QStringLiteral("router_signal")};
  if (action.startsWith(QLatin1String("router."))) return {QStringLiteral("routers")};
  if (action.startsWith(QLatin1String("cloud."))) return {QStringLiteral("cloud")};
  return {};
}

std::optional<QJsonObject> parseObject(const QByteArray& json, const QString& file, QString& error) {
  QJsonParseError parseError{};
  const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
  if (parseError.error != QJsonParseError::NoError) {
    error = QStringLiteral("%1: not JSON: %2 at offset %3")
                .arg(file, parseError.errorString())
                .arg(parseError.offset);
    return std::nullopt;
  }
  if (!document.isObject()) {
    error = QStringLiteral("%1: must be a JSON object").arg(file);
    return std::nullopt;
  }
  if (const auto duplicate = findDuplicateJsonKey(json)) {
    error = QStringLiteral("%1: %2: key given twice (JSON keeps only the last)").arg(file, *duplicate);
    return std::nullopt;
  }
  return document.object();
}

// Actions whose "values" are data points of the scenario's product.
bool takesDataPoints(const QString& action) {
  return action == QLatin1String("mcu.set") || action == QLatin1String("app.control") ||
         action == QLatin1String("cloud.appControl");
}

// Whether "@<ref>.<field>" names one of `earlier`: step names may hold dots ("do test.later"), so as the
// runner does, any prefix of "<ref>.<field>" ending before a dot may be the name.
bool namesEarlierStep(const Step& step, const QStringList& earlier) {
  const QString whole = step.stepRef + u'.' + step.field;
  for (qsizetype dot = whole.indexOf(u'.'); dot > 0; dot = whole.indexOf(u'.', dot + 1)) {
    if (earlier.contains(whole.left(dot))) return true;
  }
  return false;
}

// Checks what only the whole scenario tells: "@<step>" names an earlier step, data points exist in the
// product and their values fit. "" or "<list>[i].<field>: <reason>".
QString checkAcrossSteps(const Scenario& scenario, const gagent::proto::Product& product) {
  QStringList earlier;  // names of the steps before the one checked (teardown sees every step too)
  for (const auto& [list, steps] : {std::pair{QStringLiteral("steps"), &scenario.steps},
                                    std::pair{QStringLiteral("teardown"), &scenario.teardown}}) {
    for (const Step& step : *steps) {
      const QString at = QStringLiteral("%1[%2]").arg(list).arg(step.index);
      if (step.kind == StepKind::Measure && step.source == MeasureSource::ActionResult &&
          step.stepRef != QLatin1String("last") && !namesEarlierStep(step, earlier)) {
        return QStringLiteral("%1.from: no earlier step is named \"%2\" (a step's \"name\", or @last)")
            .arg(at, step.stepRef);
      }
      if (step.kind == StepKind::Action && takesDataPoints(step.action)) {
        const QVariantMap values = step.params.value(QStringLiteral("values")).toMap();
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
          const QString why = McuPlug::checkDataPointValue(product, it.key(), it.value());
          if (!why.isEmpty()) return QStringLiteral("%1.values.%2: %3").arg(at, it.key(), why);
        }
      }
      earlier << step.name;
    }
  }
  return {};
}

}  // namespace

std::optional<Scenario> ScenarioLoader::loadFile(const QString& path, QString& error) const {
  const auto bytes = readWholeFile(path, error);
  if (!bytes) return std::nullopt;
  return loadJson(*bytes, path, error);
}

std::optional<Scenario> ScenarioLoader::loadJson(const QByteArray& json, const QString& file,
                                                 QString& error) const {
  const QString shown = file.isEmpty() ? QStringLiteral("(scenario)") : file;
  const auto root = parseObject(json, shown, error);
  if (!root) return std::nullopt;
  auto fail = [&](const QString& field, const QString& reason) {
    error = QStringLiteral("%1: %2: %3").arg(shown, field, reason);
    return std::nullopt;
  };
  static const QSet<QString> known = {"name",  "description", "tags",     "clauses",  "product",
                                      "setup", "steps",       "teardown", "requires", "comment"};
  for (auto it = root->begin(); it != root->end(); ++it) {
    if (!known.contains(it.key())) return fail(it.key(), QStringLiteral("unknown key"));
  }

  Scenario scenario;
  scenario.file = file;
  if (!(*root)["name"].isString() || (*root)["name"].toString().isEmpty()) {
    return fail("name", QStringLiteral("missing"));
  }
  scenario.name = (*root)["name"].toString();
  scenario.description = (*root)["description"].toString();
  for (const char* list : {"tags", "clauses"}) {
    if (!root->contains(list)) continue;
    const QString why =
        readStringList((*root)[list], list == QLatin1String("tags") ? scenario.tags : scenario.clauses);
    if (!why.isEmpty()) return fail(list, why);
  }
  if (!(*root)["product"].isString() || (*root)["product"].toString().isEmpty()) {
    return fail("product", QStringLiteral("missing (a fixture path such as \"products/gokit-demo.json\")"));
  }
  scenario.product = (*root)["product"].toString();
  const QString fixtures =
      !fixturesDir_.isEmpty() ? fixturesDir_ : QFileInfo(shown).absoluteDir().filePath(QStringLiteral(".."));
  QString productError;
  const auto product = McuPlug::loadProductFile(QDir(fixtures).filePath(scenario.product), productError);
  if (!product) return fail("product", productError);
  if (root->contains("setup")) {
    const QString setup = (*root)["setup"].toString();
    if (setup == QLatin1String("unconfigured")) {
      scenario.setup = SetupState::Unconfigured;
    } else if (setup == QLatin1String("station")) {
      scenario.setup = SetupState::Station;
    } else if (setup == QLatin1String("production")) {
      scenario.setup = SetupState::Production;
    } else {
      return fail("setup", QStringLiteral("must be \"unconfigured\", \"station\" or \"production\""));
    }
  }
  if (!(*root)["steps"].isArray() || (*root)["steps"].toArray().isEmpty()) {
    return fail("steps", QStringLiteral("missing or empty"));
  }
  QString why = readSteps(*root, QStringLiteral("steps"), actions_, scenario.steps, shown);
  if (why.isEmpty() && root->contains("teardown")) {
    if (!(*root)["teardown"].isArray()) return fail("teardown", QStringLiteral("must be a list of steps"));
    why = readSteps(*root, QStringLiteral("teardown"), actions_, scenario.teardown, shown);
  }
  if (!why.isEmpty()) {
    error = why;
    return std::nullopt;
  }
  if (const QString across = checkAcrossSteps(scenario, *product); !across.isEmpty()) {
    error = QStringLiteral("%1: %2").arg(shown, across);
    return std::nullopt;
  }
  if (root->contains("requires")) {
    QStringList declared;
    const QString bad = readStringList((*root)["requires"], declared);
    if (!bad.isEmpty()) return fail("requires", bad);
    for (const QString& r : declared) {
      if (!kScenarioRequirements.contains(r))
        return fail("requires",
                    QStringLiteral("unknown \"%1\" (known: %2)").arg(r, kScenarioRequirements.join(", ")));
      if (!scenario.requirements.contains(r)) scenario.requirements << r;
    }
  }
  for (const std::vector<Step>* list : {&scenario.steps, &scenario.teardown}) {
    for (const Step& step : *list) {
      for (const QString& r : impliedRequirements(step.action)) {
        if (!scenario.requirements.contains(r)) scenario.requirements << r;
      }
    }
  }
  return scenario;
}

std::optional<Suite> ScenarioLoader::loadSuiteFile(const QString& path, QString& error,
                                                   const QString& scenariosDir) const {
  const auto bytes = readWholeFile(path, error);
  if (!bytes) return std::nullopt;
  const auto root = parseObject(*bytes, path, error);
  if (!root) return std::nullopt;
  auto fail = [&](const QString& field, const QString& reason) {
    error = QStringLiteral("%1: %2: %3").arg(path, field, reason);
    return std::nullopt;
  };
  static const QSet<QString> known = {"name", "description", "scenarios", "tags", "comment"};
  for (auto it = root->begin(); it != root->end(); ++it) {
    if (!known.contains(it.key())) return fail(it.key(), QStringLiteral("unknown key"));
  }
  Suite suite;
  suite.file = path;
  suite.name = (*root)["name"].toString();
  if (suite.name.isEmpty()) return fail("name", QStringLiteral("missing"));
  suite.description = (*root)["description"].toString();
  const QDir dir(scenariosDir.isEmpty()
                     ? QFileInfo(path).absoluteDir().filePath(QStringLiteral("../scenarios"))
                     : scenariosDir);
  QStringList listed;
  QStringList tags;
  if (root->contains("scenarios")) {
    const QString why = readStringList((*root)["scenarios"], listed);
    if (!why.isEmpty()) return fail("scenarios", why);
  }
  if (root->contains("tags")) {
    const QString why = readStringList((*root)["tags"], tags);
    if (!why.isEmpty()) return fail("tags", why);
  }
  if (listed.isEmpty() && tags.isEmpty())
    return fail("scenarios", QStringLiteral("a suite needs scenarios or tags"));

  for (qsizetype i = 0; i < listed.size(); ++i) {
    const QString file = QDir::cleanPath(dir.absoluteFilePath(listed[i]));
    QString scenarioError;
    if (!loadFile(file, scenarioError)) {
      return fail(QStringLiteral("scenarios[%1]").arg(i), scenarioError);
    }
    if (!suite.scenarioFiles.contains(file)) suite.scenarioFiles << file;
  }
  if (!tags.isEmpty()) {
    const QStringList names = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString& name : names) {
      const QString file = QDir::cleanPath(dir.absoluteFilePath(name));
      if (suite.scenarioFiles.contains(file)) continue;
      QString scenarioError;
      const auto scenario = loadFile(file, scenarioError);
      if (!scenario) return fail(QStringLiteral("tags"), scenarioError);
      for (const QString& tag : tags) {
        if (scenario->tags.contains(tag)) {
          suite.scenarioFiles << file;
          break;
        }
      }
    }
  }
  return suite;
}

}  // namespace gizrig::core
