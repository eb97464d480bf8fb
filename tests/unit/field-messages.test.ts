/** The one catalogue of field messages (issue 18): every kind of failed check in words a person understands, with the field's path kept for the API. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { InvalidInput } from '../../simulators/domain/errors';
import { RAW_VALIDATOR_TEXT } from '../../simulators/domain/field-messages';
import { CreateUser } from '../../simulators/services/user-input';
import { parseInput } from '../../simulators/services/validate';

function refusal(schema: z.ZodTypeAny, value: unknown): InvalidInput {
  try {
    parseInput(schema, value);
  } catch (error) {
    assert.ok(error instanceof InvalidInput);
    return error;
  }
  assert.fail(`${JSON.stringify(value)} was accepted`);
}

describe('field messages', () => {
  it('asks for what is missing in words, and keeps the path in the API message', () => {
    assert.equal(refusal(z.object({ comments: z.string().min(1) }), { comments: '' }).message, 'comments: Enter a comment');
    assert.equal(refusal(z.object({ months: z.array(z.number()).min(1) }), { months: [] }).message, 'months: Choose at least one month');
    const user = refusal(CreateUser, {});
    assert.deepEqual(
      user.problems.map((p) => [p.field, p.message]),
      [
        ['user_name', 'Enter the email address'],
        ['name', 'Enter the name'],
        ['roles', 'Choose at least one Job Type Role'],
      ],
    );
    assert.equal(user.detail, 'name: Enter the name; roles: Choose at least one Job Type Role');
  });

  it('says no check in a validator its own words, whatever the kind of check', () => {
    const schema = z.object({
      text: z.string().min(3).max(5),
      count: z.number().int().min(1).max(9).multipleOf(2),
      list: z.array(z.string()).min(2).max(3),
      choice: z.enum(['a', 'b']),
      exact: z.literal('yes'),
      email: z.string().email(),
      pattern: z.string().regex(/^x$/),
      either: z.union([z.number(), z.boolean()]),
      when: z.date(),
      nested: z.object({ quantity: z.number() }),
    });
    const wrong = [
      {
        text: 'ab',
        count: 0.5,
        list: ['x'],
        choice: 'c',
        exact: 'no',
        email: 'x',
        pattern: 'y',
        either: 's',
        when: new Date('x'),
        nested: { quantity: 'q' },
      },
      {
        text: 'abcdefg',
        count: 11,
        list: ['a', 'b', 'c', 'd'],
        choice: 3,
        exact: 1,
        email: 2,
        pattern: 3,
        either: null,
        when: 'x',
        nested: 'n',
      },
      {},
    ];
    for (const value of wrong) {
      const { message, detail, problems } = refusal(schema, value);
      assert.ok(problems.length >= 8, JSON.stringify(problems));
      for (const text of [message, detail, ...problems.map((p) => p.message)])
        assert.equal(
          RAW_VALIDATOR_TEXT.find((p) => p.test(text)),
          undefined,
          `raw validator text in "${text}"`,
        );
    }
  });
});
