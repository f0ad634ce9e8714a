/** The seeded demo accounts, on a development shop only (the password is in the repository anyway). */
export function DemoAccounts(props: { password: string; accounts: readonly { name: string; email: string; role: string }[] }) {
  return (
    <section className="auth-demo" aria-labelledby="demo-heading">
      <h2 id="demo-heading">Demo accounts</h2>
      <p>
        This shop runs with the development secret, so its demo accounts are shown here. Each signs in with the
        password <code>{props.password}</code>.
      </p>
      <ul>
        {props.accounts.map((account) => (
          <li key={account.email}>
            <strong>{account.name}</strong> <code>{account.email}</code>
            {account.role === 'staff' && <span className="status">staff: the back office</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
