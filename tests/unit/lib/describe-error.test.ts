import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../../api/src/lib/create-app.ts';

// The log line of an unexpected error must not carry the query parameters (sign-in emails, phone numbers…).
describe('describeError', () => {
  it('keeps the SQLSTATE of a driver error wrapped by drizzle, not the parameters in its message', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint'), {
      name: 'PostgresError',
      code: '23505',
      routine: '_bt_check_unique',
    });
    const wrapped = new DrizzleQueryError('select * from users where email = $1', ['jane.doe@example.test'], driverError);
    const described = describeError(wrapped);
    expect(JSON.stringify(described)).not.toContain('jane.doe@example.test');
    expect(described).toMatchObject({ name: 'PostgresError', code: '23505', routine: '_bt_check_unique' });
  });

  it('names a drizzle error without a driver cause but drops its message', () => {
    const wrapped = new DrizzleQueryError('insert into customers (phone) values ($1)', ['+8613900001234'], undefined);
    const described = describeError(wrapped);
    expect(JSON.stringify(described)).not.toContain('13900001234');
    expect(described.name).toBe('DrizzleQueryError');
  });

  it('keeps the message of other errors', () => {
    expect(describeError(new TypeError('x is not a function'))).toMatchObject({ name: 'TypeError', message: 'x is not a function' });
  });
});
