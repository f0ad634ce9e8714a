/**
 * One step of the warehouse's schema. Statements run one at a time: both drivers send each as a prepared
 * statement, which may hold only one command.
 */
export type Migration = {
  /** Recorded in warehouse.migrations once applied; never renamed. */
  readonly id: string;
  readonly statements: readonly string[];
};
