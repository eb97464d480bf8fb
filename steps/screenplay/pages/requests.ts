/** Service requests, knowledge and nominated contacts in the portal: order a catalogue item, submit a signed file to its workflow, search knowledge, read the contacts. */
import type { Outcome, RequestOutcome, SignedFile } from '../abilities/use-fsm';
import { notYet, type Portal } from './portal';

export class RequestsInPortal {
  constructor(private readonly portal: Portal) {}

  submitSignedFile(_itemName: string, _file: SignedFile, _variables: Record<string, string> = {}): Promise<Outcome<RequestOutcome>> {
    return notYet('submitting a signed file');
  }

  orderItem(_itemName: string, _variables: Record<string, string>): Promise<Outcome<{ sysId: string; number: string }>> {
    return notYet('ordering a catalogue item');
  }

  searchKnowledge(_words: string): Promise<string[]> {
    return notYet('searching knowledge');
  }

  nominatedContacts(): Promise<{ role: string; name: string; email: string }[]> {
    return notYet('reading nominated contacts');
  }
}
