// What the mocked providers answer, shared by the test harness and the benchmark: the outputs a
// real provider computes, shaped like the real ones.

// How the SDK marks a secret value on the wire; the mocks hand inputs over in this form.
export const sigKey = "4dabf18193072939515e22adb298388d";
export const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** Fake outputs a real provider would compute, shaped like the real ones. */
export function computedOutputs(type: string, name: string): Record<string, unknown> {
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
