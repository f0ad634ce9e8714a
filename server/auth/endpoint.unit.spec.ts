import { describe, expect, it } from 'vitest';
import { parseSetCookie } from './endpoint';

describe('parseSetCookie', () => {
  it('reads the session cookie better-auth sets', () => {
    expect(parseSetCookie('hindsight.session_token=abc.def%3D; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax')).toEqual({
      name: 'hindsight.session_token',
      value: 'abc.def=',
      maxAge: 2592000,
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
    });
  });

  it('reads a cleared cookie and a secure one', () => {
    expect(parseSetCookie('hindsight_cart=; Max-Age=0; Path=/')).toEqual({ name: 'hindsight_cart', value: '', maxAge: 0, path: '/' });
    expect(parseSetCookie('__Secure-x=1; Secure; SameSite=None; Expires=Wed, 01 Dec 2027 00:00:00 GMT')).toMatchObject({
      secure: true,
      sameSite: 'none',
      expires: new Date('2027-12-01T00:00:00Z'),
    });
  });
});
