/**
 * The name of a catalog fault, for the HTTP hook registry. A stand-in until the typed catalog
 * (reference-servers/faults/) exports its literal union, so that the registry's keys are checked.
 */
export type FaultName = string;
