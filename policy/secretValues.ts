// A Kubernetes Secret whose data is not a Pulumi secret is stored in plaintext in the stack's
// state and shown in every preview and in the PR comment of the preview workflow.
//
// The policy SDK strips secret markers before it calls validateResource (everything arrives as
// plain JSON), but keeps them for remediateResource, where a secret value is a policy `Secret`.
// The engine calls Remediate and then Analyze for each resource, in that order, on the same pack
// process. So the check runs at enforcement level "remediate": the remediation only looks and
// changes nothing, and the validation reports what it saw, which the SDK and the engine report
// as a mandatory violation.
import { ResourceValidationArgs, ResourceValidationPolicy, Secret } from "@pulumi/policy";
import { isKind, objectName } from "./kubernetes";

const valueFields = ["data", "stringData"];

/** Own property of a policy's props, past the SDK's proxies, which unwrap secrets on read. */
function raw(holder: object, key: string): unknown {
    return Object.getOwnPropertyDescriptor(holder, key)?.value;
}

/** Whether a value is secret throughout: itself a secret, or an object or list of secret values. */
export function isSecretThroughout(value: unknown): boolean {
    if (value instanceof Secret) {
        return true;
    }
    if (value !== null && typeof value === "object") {
        return Object.keys(value).every((k) => isSecretThroughout(raw(value, k)));
    }
    return false;
}

function holdsSecretValues(type: string): boolean {
    return isKind(type, "core", "Secret") || isKind(type, "core", "SecretPatch");
}

/** Per resource URN, the fields the remediation pass found in plaintext. */
const seen = new Map<string, string[]>();

export const secretValues: ResourceValidationPolicy = {
    name: "secret-values-are-secret",
    description: "No Kubernetes Secret carries a plaintext value in its inputs: data and stringData are Pulumi " +
        "secrets, encrypted in the state and hidden in previews.",
    // See the top of this file: a violation is reported as mandatory.
    enforcementLevel: "remediate",
    remediateResource: (args: ResourceValidationArgs) => {
        if (holdsSecretValues(args.type)) {
            seen.set(args.urn, valueFields.filter((f) => raw(args.props, f) !== undefined && !isSecretThroughout(raw(args.props, f))));
        }
        return undefined;
    },
    validateResource: (args, reportViolation) => {
        if (!holdsSecretValues(args.type)) {
            return;
        }
        const plaintext = seen.get(args.urn);
        seen.delete(args.urn);
        const secret = objectName(args.props);
        if (plaintext === undefined) {
            reportViolation(`cannot tell whether Secret ${secret} holds plaintext: this policy must run at enforcement ` +
                "level remediate, the only one at which the policy SDK shows which values are secret.");
        } else if (plaintext.length > 0) {
            reportViolation(`Secret ${secret} carries ${plaintext.join(" and ")} in plaintext: wrap the value in ` +
                "pulumi.secret() (the Kubernetes SDK's Secret class does so itself) so that the state encrypts it " +
                "and previews hide it.");
        }
    },
};
