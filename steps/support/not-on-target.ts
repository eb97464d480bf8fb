/**
 * A step this target cannot run: it needs the simulator's control plane, or an interactive sign-in
 * when the API signs in by OAuth. The hooks skip the scenario, saying why.
 */
import { EnvironmentError } from '../../clients/http';

export class NotOnTarget extends EnvironmentError {
  override name = 'NotOnTarget';
}
