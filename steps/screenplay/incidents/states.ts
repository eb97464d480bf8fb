/**
 * Incident states as the platform shows them, and ServiceNow's number for each: the harness's own
 * expectation of the platform (ServiceNow's incident states), written here rather than imported from
 * the simulator, so that a simulator that numbers or names a state wrongly fails the scenarios.
 */
export const IncidentState = { New: 1, InProgress: 2, OnHold: 3, Resolved: 6, Closed: 7, Canceled: 8 } as const;

const BY_LABEL = new Map<string, number>([
  ['New', IncidentState.New],
  ['In Progress', IncidentState.InProgress],
  ['On Hold', IncidentState.OnHold],
  ['Resolved', IncidentState.Resolved],
  ['Closed', IncidentState.Closed],
  ['Canceled', IncidentState.Canceled],
]);

/** The labels a feature may name a state by ("In Progress"). */
export const INCIDENT_STATE_LABELS: readonly string[] = [...BY_LABEL.keys()];

/** The state number of a label as the platform shows it ("In Progress" is 2), or undefined for a label it does not use. */
export function stateOfLabel(label: string): number | undefined {
  return BY_LABEL.get(label);
}
