import * as path from "node:path";
import type { ArgsMismatch, MustMatch, StateMismatch } from "../../provider/core/declared-types";
import type { terminationGateway } from "../../provider/vendors/telecomcenter/termination-gateway/definition";
import {
    TerminationGateway,
    type TerminationGatewayArgs,
    type TerminationGatewayState,
} from "../../provider/vendors/telecomcenter/termination-gateway/resource";
import { describeProblems, typeCheck } from "./typecheck";

/**
 * Each resource's hand-written `Args` and `State` (zod-free, documented) are tied to its
 * declaration by `MustMatch<ArgsMismatch<…>>` and `MustMatch<StateMismatch<…>>` in its
 * `resource.ts`. These cases prove the ties hold: every drift below fails to compile (the
 * `@ts-expect-error` lines would themselves fail if it compiled), and the compiler's message names
 * the property.
 */

type Gateway = typeof terminationGateway;

// The real types match.
type _Matches = [
    MustMatch<ArgsMismatch<TerminationGatewayArgs, Gateway>>,
    MustMatch<StateMismatch<TerminationGatewayState, Gateway>>,
];

type WrongPort = Omit<TerminationGatewayArgs, "port"> & { port?: string };
// @ts-expect-error an Args property of another type than the schema's
type _WrongPort = MustMatch<ArgsMismatch<WrongPort, Gateway>>;

// @ts-expect-error a schema input missing from Args
type _MissingHost = MustMatch<ArgsMismatch<Omit<TerminationGatewayArgs, "host">, Gateway>>;

// @ts-expect-error an Args property the schema does not know
type _Extra = MustMatch<ArgsMismatch<TerminationGatewayArgs & { hots?: string }, Gateway>>;

type OptionalCustomer = Omit<TerminationGatewayArgs, "customerId"> & { customerId?: string };
// @ts-expect-error optional in Args, required by the schema
type _OptionalCustomer = MustMatch<ArgsMismatch<OptionalCustomer, Gateway>>;

// @ts-expect-error a computed output missing from State
type _NoOperator = MustMatch<StateMismatch<Omit<TerminationGatewayState, "operator">, Gateway>>;

type PortMaybe = Omit<TerminationGatewayState, "port"> & { port: number | undefined };
// @ts-expect-error a State property that can be undefined where the stored state always has a value
type _PortMaybe = MustMatch<StateMismatch<PortMaybe, Gateway>>;

type NotComputed = Omit<Gateway, "computedOutputs"> & { computedOutputs: readonly never[] };
// @ts-expect-error a stored output that is neither an input nor declared computed
type _NotComputed = MustMatch<StateMismatch<Omit<TerminationGatewayState, "operator">, NotComputed>>;

// A class built from a declaration is still a class: a type, a base class, an `instanceof` target.
class NamedGateway extends TerminationGateway {
    readonly owner = "ops";
}

describe("declared types", () => {
    it("leave the built class usable as a type and as a base class", () => {
        const gateways: TerminationGateway[] = [];
        expect(gateways).toEqual([]);
        expect(NamedGateway.prototype).toBeInstanceOf(TerminationGateway);
        expect(NamedGateway.name).toBe("NamedGateway");
        expect(TerminationGateway.name).toBe("TerminationGateway");
    });

    it("name the property that drifted in the compiler's message", () => {
        const file = path.join(__dirname, "declared-types.drift.ts");
        const source = `import type { ArgsMismatch, MustMatch, StateMismatch } from "../../provider/core/declared-types";
import type { terminationGateway } from "../../provider/vendors/telecomcenter/termination-gateway/definition";
import type { TerminationGatewayArgs, TerminationGatewayState } from "../../provider/vendors/telecomcenter/termination-gateway/resource";
type Gateway = typeof terminationGateway;
export type A = MustMatch<ArgsMismatch<Omit<TerminationGatewayArgs, "port"> & { port?: string }, Gateway>>;
export type B = MustMatch<StateMismatch<Omit<TerminationGatewayState, "operator">, Gateway>>;
`;
        const problems = describeProblems(typeCheck({ [file]: source }).filter((problem) => problem.file === file));
        expect(problems).toEqual([
            expect.stringContaining('"port: Args and the schema accept different values"'),
            expect.stringContaining('"operator: stored, missing from State"'),
        ]);
    });
});
