/** Incidents in the portal: raise, list and filter, open, change, comment, attach, confirm or reject a resolution. */
import type { SampleFile } from '../../../fixtures/files';
import type { IncidentRequest } from '../../../fixtures/incidents';
import type { IncidentChange, IncidentFilter, IncidentPage, IncidentSummary, Outcome } from '../abilities/use-fsm';
import { notYet, type Portal } from './portal';

export class IncidentsInPortal {
  constructor(private readonly portal: Portal) {}

  raiseIncident(_request: IncidentRequest): Promise<Outcome<IncidentSummary>> {
    return notYet('raising an incident');
  }

  listIncidents(_filter: IncidentFilter): Promise<IncidentPage> {
    return notYet('listing incidents');
  }

  openIncident(_sysId: string): Promise<Outcome<IncidentSummary>> {
    return notYet('opening an incident');
  }

  changeIncident(_sysId: string, _change: IncidentChange): Promise<Outcome<IncidentSummary>> {
    return notYet('changing an incident');
  }

  attachToIncident(_sysId: string, _file: SampleFile): Promise<Outcome<{ fileName: string; bytes: number }>> {
    return notYet('attaching a file to an incident');
  }

  incidentDetails(_sysId: string): Promise<{ comments: string[]; attachments: string[] }> {
    return notYet("reading an incident's comments and attachments");
  }
}
