// Evaluates the platform's CEL the way its admission engines do, with a CEL implementation from
// npm: variables in order, each visible to the next as `variables.<name>`; every validation that
// is not true yields its message. Gatekeeper adds `variables.anyObject` (the object under review)
// and `variables.params` (the constraint's parameters) to the variables. A ValidatingAdmissionPolicy
// judges a request only when all its matchConditions hold. The environment is the kit's, which
// knows the API server's `authorizer` library (test/kit/admission.ts).
import { evaluate } from "./admission";

export interface CelProgram {
    readonly matchConditions?: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
    readonly variables?: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
    readonly validations: ReadonlyArray<{ readonly expression: string; readonly messageExpression: string }>;
}

/** The messages of the failing validations, in order; [] when the request is admitted. */
export function violations(program: CelProgram, context: Record<string, unknown>, variables: Record<string, unknown> = {}): string[] {
    const vars: Record<string, unknown> = { ...variables };
    const scope = { ...context, variables: vars };
    if (!(program.matchConditions ?? []).every((condition) => evaluate(condition.expression, scope) === true)) {
        return [];
    }
    for (const variable of program.variables ?? []) {
        vars[variable.name] = evaluate(variable.expression, scope);
    }
    const messages: string[] = [];
    for (const validation of program.validations) {
        const admitted = evaluate(validation.expression, scope);
        if (typeof admitted !== "boolean") {
            throw new Error(`${validation.expression} gave ${String(admitted)}, not a bool`);
        }
        if (!admitted) {
            messages.push(evaluate(validation.messageExpression, scope) as string);
        }
    }
    return messages;
}

/** What Gatekeeper reports for `object` under a K8sNativeValidation template without parameters. */
export function gatekeeperViolations(program: CelProgram, object: unknown): string[] {
    return violations(program, {}, { anyObject: object, params: {} });
}
