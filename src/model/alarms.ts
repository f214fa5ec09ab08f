/**
 * @module model/alarms
 * The model's alarms, checked against the rest of the model (a monitor that observes the
 * target, datapoints that fit the evaluation periods) and normalized with their defaults.
 */
import { DEFAULTS, type Origin, type Refer, type Report } from "./checking.js";
import type { ComponentInput, ModelFile } from "./schema.js";
import type { Alarm } from "./types.js";

type AlarmInput = NonNullable<ModelFile["alarms"]>[string];

/** The model's alarms, in the order declared. */
export function buildAlarms(
  alarms: ReadonlyMap<string, Origin<AlarmInput>>,
  components: ReadonlyMap<string, Origin<ComponentInput>>,
  report: Report,
  refer: Refer,
): Alarm[] {
  const outAlarms: Alarm[] = [];
  for (const [aid, { value: a, source, path }] of alarms) {
    const monitorOk = refer(source, [...path, "monitor"], "component", a.monitor, components);
    const targetOk = refer(source, [...path, "target"], "component", a.target, components);
    if (monitorOk && targetOk) {
      const observes = components.get(a.monitor)?.value.observes ?? [];
      if (!observes.includes(a.target)) {
        report(
          "impossible-value",
          source,
          [...path, "target"],
          `monitor '${a.monitor}' does not observe '${a.target}'; add it to the monitor's observes`,
        );
      }
    }
    const evaluationPeriods = a.evaluationPeriods ?? 1;
    const datapoints = a.datapoints ?? evaluationPeriods;
    if (datapoints > evaluationPeriods) {
      report(
        "impossible-value",
        source,
        [...path, "datapoints"],
        `${datapoints} datapoints cannot be found in ${evaluationPeriods} evaluation period(s)`,
      );
    }
    outAlarms.push({
      id: aid,
      monitor: a.monitor,
      target: a.target,
      signal: a.signal,
      threshold: a.threshold,
      period: a.period ?? DEFAULTS.alarmPeriod,
      evaluationPeriods,
      datapoints,
      loc: source.locate(path, "key"),
    });
  }
  return outAlarms;
}
