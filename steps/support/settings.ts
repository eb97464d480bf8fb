/**
 * The simulator's settings against the values an example assumes (a default, a duration): where the
 * worker started the simulators, a step checks they run with the value the example assumes; where the
 * settings are not visible (a simulator started elsewhere, a real environment), the platform's
 * behaviour alone is the evidence, and the scenario's log says so.
 */
import assert from 'node:assert/strict';
import { harnessMessage } from '../../clients/messages';
import type { FsmWorld } from './world';
import { workerFixtures, type SimulatorConfig } from './worker';

export function assumeSetting<T>(world: FsmWorld, setting: string, read: (config: SimulatorConfig) => T, assumed: T): void {
  const config = workerFixtures().simulators?.core.config;
  if (!config)
    return world.log(
      `The platform's settings are not visible on this target: the example's ${setting} (${String(assumed)}) is checked against the platform alone.`,
    );
  assert.equal(
    read(config),
    assumed,
    harnessMessage(
      `The example assumes ${setting} is ${String(assumed)}; the simulator runs with ${String(read(config))}. Start it with the setting the example assumes.`,
    ),
  );
}
