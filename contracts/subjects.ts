import { contractNames, integrationEvents, type ContractName, type Producer } from './events';

/**
 * Subjects name the producer, the contract and its version: `<prefix>.<producer>.<contract>.v<version>`, e.g.
 * `hindsight.shop.shipment.requested.v1`. A consumer subscribes to a producer's subjects with one wildcard
 * (`hindsight.shop.shipment.>`), and a second version of a contract is a subject of its own, so old and
 * new consumers can read side by side. The prefix lets several installations (or test runs) share a server.
 */
export type Subjects = {
  readonly prefix: string;
  of(contract: ContractName): string;
  /** Every subject a producer publishes under a contract-name prefix (`shipment` → its shipment contracts). */
  filter(producer: Producer, family: string): string;
  /** Where a consumer puts messages it refuses, with the reason in a header. */
  deadLetter(consumer: string): string;
  /** The contract a subject carries, or null for a subject that is not one of ours (or not this version). */
  contractOf(subject: string): ContractName | null;
  /** The stream's subjects: everything under the prefix. */
  readonly all: string;
};

const token = /^[a-z0-9][a-z0-9_-]*$/;

export function subjects(prefix: string): Subjects {
  if (!prefix.split('.').every((part) => token.test(part))) {
    throw new Error(`The subject prefix ${JSON.stringify(prefix)} must be dot-separated lowercase letters, digits, _ or -.`);
  }
  const of = (contract: ContractName) => {
    const { producer, version } = integrationEvents[contract];
    return `${prefix}.${producer}.${contract}.v${version}`;
  };
  const bySubject = new Map(contractNames.map((name) => [of(name), name]));
  return {
    prefix,
    of,
    filter: (producer, family) => `${prefix}.${producer}.${family}.>`,
    deadLetter: (consumer) => `${prefix}.deadletter.${consumer}`,
    contractOf: (subject) => bySubject.get(subject) ?? null,
    all: `${prefix}.>`,
  };
}
