import * as assert from 'node:assert/strict';
import { Questions } from '../../src/panels/ipc/questions';

const words = { message: 'Kill connection 7 on Demo?', action: 'Kill Connection' };

describe('questions a panel asks before a destructive request', () => {
  it('does a request only with the ticket of the question asked for that very request, once', () => {
    const questions = new Questions<number>();
    const kill7 = ['kill', 7, 'connection'];
    const asked = questions.ask(kill7, words, 42);
    assert.equal(asked.message, words.message);
    assert.throws(() => questions.agreed(['kill', 8, 'connection'], asked.ticket), /not confirmed as asked/, 'another id with the ticket of 7');
    // The wrong request used the ticket up: it is good for nothing now, not even the request it was issued for.
    assert.throws(() => questions.agreed(kill7, asked.ticket), /not confirmed as asked/);
    const again = questions.ask(kill7, words, 43);
    assert.equal(questions.agreed(kill7, again.ticket), 43, 'what was kept comes back');
    assert.throws(() => questions.agreed(kill7, again.ticket), /not confirmed as asked/, 'a ticket is good once');
    assert.throws(() => questions.agreed(kill7, 'made-up'), /not confirmed as asked/, 'a forged ticket');
    const oldest = questions.ask(kill7, words, 1);
    for (let i = 0; i < 16; i++) questions.ask(['kill', 100 + i, 'query'], words, i);
    assert.throws(() => questions.agreed(kill7, oldest.ticket), /not confirmed as asked/, 'an old question left unanswered is forgotten');
  });
});
