// What the mocked providers answer, shared by the test harness and the benchmark: the outputs a
// real provider computes, shaped like the real ones.
import { createHash } from "crypto";

// How the SDK marks a secret value on the wire; the mocks hand inputs over in this form.
export const sigKey = "4dabf18193072939515e22adb298388d";
export const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/**
 * The name the Kubernetes provider gives an object whose metadata.name is not set: the resource's
 * name, "-" and eight random hex characters (pulumi-kubernetes provider/pkg/metadata/naming.go,
 * AssignNameIfAutonamable, with the SDK's resource.NewUniqueName defaults), new on every create,
 * so a replacement gets a new name. Here derived from the name and the inputs (secrets unwrapped),
 * so that each run names alike and an object with other inputs is named otherwise.
 */
export function autoName(name: string, inputs: Record<string, unknown>): string {
    return `${name}-${createHash("sha256").update(name).update(JSON.stringify(inputs)).digest("hex").slice(0, 8)}`;
}

/** A Kubernetes object the provider names: no name and no generateName (then the server names it). */
function autonamed(type: string, inputs: Record<string, any>): boolean {
    return /^kubernetes:[^:]+:[^:]+$/.test(type) && !type.startsWith("kubernetes:helm.sh/") &&
        typeof inputs.metadata === "object" && inputs.metadata !== null &&
        inputs.metadata.name === undefined && inputs.metadata.generateName === undefined;
}

/** `inputs` with the provider's name in metadata where it would give one (autoName), else as they are. */
export function withProviderName(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    return autonamed(type, inputs) ? { ...inputs, metadata: { ...inputs.metadata, name: autoName(name, inputs) } } : inputs;
}

function isSecret(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[sigKey] === secretSig;
}

/** Top-level inputs with the SDK's secret wrappers taken off (the SDK lifts nested secrets to the top), and which were secret. */
export function unwrapSecrets(wire: Record<string, unknown>): { readonly inputs: Record<string, any>; readonly secretInputs: Set<string> } {
    const inputs: Record<string, unknown> = {};
    const secretInputs = new Set<string>();
    for (const [key, value] of Object.entries(wire)) {
        if (isSecret(value)) {
            secretInputs.add(key);
        }
        inputs[key] = isSecret(value) ? value.value : value;
    }
    return { inputs, secretInputs };
}

/** Fake outputs a real provider would compute, shaped like the real ones, from the inputs with secrets unwrapped. */
export function computedOutputs(type: string, name: string, inputs: Record<string, any> = {}): Record<string, unknown> {
    if (autonamed(type, inputs)) {
        return { metadata: { ...inputs.metadata, name: autoName(name, inputs) } };
    }
    switch (type) {
        case "tls:index/privateKey:PrivateKey":
            return {
                privateKeyOpenssh: { [sigKey]: secretSig, value: fakePrivateKey(name) },
                publicKeyOpenssh: `${fakePublicKey(name)}\n`,
                publicKeyFingerprintSha256: `SHA256:mock-${name}`,
            };
        case "github:index/repository:Repository":
            return { defaultBranch: "main" };
        default:
            return {};
    }
}

/** The mocked keypair of a tls.PrivateKey named `name`: both halves carry the name. */
export function fakePublicKey(name: string): string {
    return `ssh-ed25519 AAAAC3Mock${name.replace(/[^A-Za-z0-9]/g, "")}`;
}

export function fakePrivateKey(name: string): string {
    return `-----BEGIN OPENSSH PRIVATE KEY-----\nMOCK-${name}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
