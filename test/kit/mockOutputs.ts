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

const autonamed = (type: string) => type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/") && type !== "pulumi:providers:kubernetes";

/** Fake outputs a real provider would compute, shaped like the real ones, from the inputs with secrets unwrapped. */
export function computedOutputs(type: string, name: string, inputs: Record<string, any> = {}): Record<string, unknown> {
    if (autonamed(type) && typeof inputs.metadata === "object" && inputs.metadata !== null && inputs.metadata.name === undefined) {
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
