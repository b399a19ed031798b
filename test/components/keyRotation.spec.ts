import { strict as assert } from "assert";
import { validateConfig } from "../../config/validate";
import { fakePrivateKey, fakePublicKey, resolve, runProgram } from "../kit/harness";
import { Recording } from "../kit/harness";
import { EngineRun, PlannedStep, compare, plan, runForEngine } from "../kit/runDiff";

const deployKeyType = "github:index/repositoryDeployKey:RepositoryDeployKey";
const keyPairType = "tls:index/privateKey:PrivateKey";

function config(team1KeyVersion?: number, clusterKeyVersion?: number): Record<string, unknown> {
    return {
        "github:owner": "org",
        ...(clusterKeyVersion === undefined ? {} : { "platform:cluster": { keyVersion: clusterKeyVersion } }),
        "platform:teams": [
            team1KeyVersion === undefined ? { name: "team1" } : { name: "team1", keyVersion: team1KeyVersion },
            { name: "team2" },
        ],
    };
}

describe("deploy key rotation (keyVersion)", () => {
    it("defaults to 1 and accepts a whole number from 1 on the cluster and each team", () => {
        const result = validateConfig({
            "github:owner": "org",
            "platform:cluster": JSON.stringify({ keyVersion: 3 }),
            "platform:teams": JSON.stringify([{ name: "team1", keyVersion: 2 }, { name: "team2" }]),
        });
        assert.ok(result.ok);
        assert.equal(result.config.cluster.keyVersion, 3);
        assert.deepEqual(result.config.teams.map((t) => t.keyVersion), [2, 1]);
    });

    it("rejects a keyVersion that is not a whole number of at least 1", () => {
        const result = validateConfig({
            "github:owner": "org",
            "platform:cluster": JSON.stringify({ keyVersion: 0 }),
            "platform:teams": JSON.stringify([{ name: "team1", keyVersion: "2" }, { name: "team2", keyVersion: 1.5 }]),
        });
        assert.ok(!result.ok);
        assert.deepEqual(result.problems, [
            "platform:cluster.keyVersion: must be a whole number from 1 to 1000000, got 0",
            'platform:teams[0].keyVersion: must be a whole number from 1 to 1000000, got "2"',
            "platform:teams[1].keyVersion: must be a whole number from 1 to 1000000, got 1.5",
        ]);
    });

    it("keyVersion 1 is the key every stack had before rotation existed: same names, same title", async () => {
        const implicit = await runProgram(config());
        const explicit = await runProgram(config(1, 1));
        assert.deepEqual(compare(implicit, explicit), { removed: [], added: [], changed: {} });
        implicit.recording.get(keyPairType, "platform-team-team1-repo-key");
        assert.equal(implicit.recording.get(deployKeyType, "platform-team-team1-repo-deploy-key").inputs.title, "flux in namespace team1");
    });

    it("bumping a team's keyVersion adds a new keypair and deploy key beside the old ones, and moves that Flux over", async () => {
        const before = await runProgram(config(1));
        const after = await runProgram(config(2));
        assert.equal(after.error, undefined);
        assert.deepEqual(compare(before, after), {
            // Each generation is its own keypair and its own deploy key: the old ones leave the program.
            removed: [`${keyPairType}::platform-team-team1-repo-key`, `${deployKeyType}::platform-team-team1-repo-deploy-key`],
            added: [`${keyPairType}::platform-team-team1-repo-key-v2`, `${deployKeyType}::platform-team-team1-repo-deploy-key-v2`],
            changed: {
                "kubernetes:core/v1:Secret::platform-team-team1-flux-git-key": [".stringData.identity"],
                // The pod restarts to pick the new key up.
                "kubernetes:apps/v1:Deployment::platform-team-team1-flux-deployment":
                    [".spec.template.metadata.annotations.gitops-platform/git-key-fingerprint"],
            },
        });

        const deployKey = after.recording.get(deployKeyType, "platform-team-team1-repo-deploy-key-v2").inputs;
        assert.equal(deployKey.key, fakePublicKey("platform-team-team1-repo-key-v2"));
        assert.equal(deployKey.title, "flux in namespace team1 (key 2)");
        assert.equal(deployKey.repository, "dev-team1");
        assert.equal(deployKey.readOnly, false);
        const secret = after.recording.k8s("kubernetes:core/v1:Secret", "team1", "flux-git-deploy");
        assert.equal(secret.inputs.stringData.identity, fakePrivateKey("platform-team-team1-repo-key-v2"));
        assert.ok(secret.secretInputs.has("stringData"), "the new private key is a secret too");
        // Found on a real API server: the Secret waited for the keypair only, so Flux could fetch with
        // a key GitHub did not yet hold.
        assert.ok(secret.dependsOn.includes("platform-team-team1-repo-deploy-key-v2"), "the Secret changes once GitHub holds the new key");
        const deployment = after.recording.k8s("kubernetes:apps/v1:Deployment", "team1", "flux");
        assert.equal(deployment.inputs.spec.template.metadata.annotations["gitops-platform/git-key-fingerprint"],
            "SHA256:mock-platform-team-team1-repo-key-v2");
        assert.ok(!deployment.secretInputs.has("spec"), "a public fingerprint must not turn the pod spec into a secret");
    });

    it("registers the new deploy key before the old one goes, never deleting first", async () => {
        const steps = plan(await runForEngine(config(1)), await runForEngine(config(2)));
        const keySteps = (list: readonly PlannedStep[]) => list.filter((s) => s.resource.startsWith(`${deployKeyType}::`));
        // The generation-1 key of a stack is the new key's alias (for stacks rotated before each
        // generation had a name), so the engine takes it over and replaces it, creating first.
        assert.deepEqual(keySteps(steps.during), [{
            op: "replace", resource: `${deployKeyType}::platform-team-team1-repo-deploy-key-v2`,
            from: `${deployKeyType}::platform-team-team1-repo-deploy-key`, deleteBeforeReplace: false,
        }]);
        assert.deepEqual(keySteps(steps.after), [{ op: "delete", resource: `${deployKeyType}::platform-team-team1-repo-deploy-key` }]);
        assert.ok(steps.during.every((s) => s.op !== "delete"), "nothing is deleted while the program registers");

        // The next rotation finds no key under the alias: a create, and the old generation deleted last.
        const third = plan(await runForEngine(config(2)), await runForEngine(config(3)));
        assert.deepEqual(keySteps(third.during), [{ op: "create", resource: `${deployKeyType}::platform-team-team1-repo-deploy-key-v3` }]);
        assert.deepEqual(keySteps(third.after), [{ op: "delete", resource: `${deployKeyType}::platform-team-team1-repo-deploy-key-v2` }]);
    });

    it("keeps the key of a stack that rotated before each generation had its own name", async () => {
        // Before, every generation sat under the generation-1 name; GitHub refuses to register the
        // same public key twice, so the current generation must be taken over, not created again.
        const now = await runForEngine(config(2));
        const oldScheme = underName(now, `${deployKeyType}::platform-team-team1-repo-deploy-key-v2`, "platform-team-team1-repo-deploy-key");
        const steps = plan(oldScheme, now);
        assert.deepEqual([...steps.during, ...steps.after].filter((s) => s.resource.startsWith(`${deployKeyType}::`)), [{
            op: "same", resource: `${deployKeyType}::platform-team-team1-repo-deploy-key-v2`,
            from: `${deployKeyType}::platform-team-team1-repo-deploy-key`,
        }]);
    });

    it("leaves the keys of the other repos alone and reports the new fingerprint", async () => {
        const after = await runProgram(config(2));
        const { value: teams } = await resolve(after.exports!.teams as any) as { value: Record<string, any> };
        assert.equal(teams.team1.deployKey.fingerprint, "SHA256:mock-platform-team-team1-repo-key-v2");
        assert.equal(teams.team2.deployKey.fingerprint, "SHA256:mock-platform-team-team2-repo-key");
        const { value: cluster } = await resolve(after.exports!.cluster as any) as { value: any };
        assert.equal(cluster.deployKey.fingerprint, "SHA256:mock-platform-cluster-repo-key");
        assert.equal(after.recording.get(deployKeyType, "platform-team-team2-repo-deploy-key").inputs.key,
            fakePublicKey("platform-team-team2-repo-key"));
    });

    it("rotates the cluster repo's key through platform:cluster.keyVersion the same way", async () => {
        const before = await runProgram(config());
        const after = await runProgram(config(undefined, 5));
        assert.deepEqual(compare(before, after), {
            removed: [`${keyPairType}::platform-cluster-repo-key`, `${deployKeyType}::platform-cluster-repo-deploy-key`],
            added: [`${keyPairType}::platform-cluster-repo-key-v5`, `${deployKeyType}::platform-cluster-repo-deploy-key-v5`],
            changed: {
                "kubernetes:core/v1:Secret::platform-system-flux-git-key": [".stringData.identity"],
                "kubernetes:apps/v1:Deployment::platform-system-flux-deployment":
                    [".spec.template.metadata.annotations.gitops-platform/git-key-fingerprint"],
            },
        });
        assert.equal(after.recording.get(deployKeyType, "platform-cluster-repo-deploy-key-v5").inputs.title,
            "flux in namespace flux-system (key 5)");
    });
});

describe("a change of a key's write access (issue 22, defect 5)", () => {
    const keySteps = (list: readonly PlannedStep[]) => list.filter((s) => s.resource.startsWith(`${deployKeyType}::`) || s.resource.startsWith(`${keyPairType}::`));
    const team1 = (extra: Record<string, unknown>) => ({
        "github:owner": "org", "platform:engine": "flux2",
        "platform:teams": [{ name: "team1", ...extra }, { name: "team2" }],
    });

    for (const keyVersion of [1, 2]) {
        const key = keyVersion === 1 ? "" : `-v${keyVersion}`;
        it(`is a new keypair whose deploy key is registered before the old one goes (keyVersion ${keyVersion})`, async () => {
            // Flux v2 writes only to automate images: turning it on makes the key write-enabled.
            const steps = plan(await runForEngine(team1({ keyVersion })), await runForEngine(team1({ keyVersion, flux: { imageAutomation: true } })));
            assert.deepEqual(keySteps(steps.during), [
                { op: "replace", resource: `${keyPairType}::platform-team-team1-repo-key${key}`, deleteBeforeReplace: false },
                { op: "replace", resource: `${deployKeyType}::platform-team-team1-repo-deploy-key${key}`, deleteBeforeReplace: false },
            ]);
            assert.ok(steps.during.every((s) => s.op !== "delete"), "nothing is deleted while the program registers");
            assert.deepEqual(keySteps(steps.after), [
                { op: "delete", resource: `${keyPairType}::platform-team-team1-repo-key${key}` },
                { op: "delete", resource: `${deployKeyType}::platform-team-team1-repo-deploy-key${key}` },
            ]);
        });
    }

    it("moving a rotated Flux v1 team to Flux v2 replaces its key new key first (its write access changes)", async () => {
        const engine = (name: string) => ({
            "github:owner": "org", "platform:engine": "flux2",
            "platform:teams": [{ name: "team1", engine: name, keyVersion: 3 }, { name: "team2" }],
        });
        const steps = plan(await runForEngine(engine("flux1")), await runForEngine(engine("flux2")));
        assert.deepEqual(keySteps(steps.during), [
            { op: "replace", resource: `${keyPairType}::platform-team-team1-repo-key-v3`, deleteBeforeReplace: false },
            { op: "replace", resource: `${deployKeyType}::platform-team-team1-repo-deploy-key-v3`, deleteBeforeReplace: false },
        ]);
    });

    it("an upgrade of a stack whose keys carry no recorded trigger keeps every key", async () => {
        // A stack run by an earlier version has no trigger in its state; the engine then replaces nothing.
        const now = await runForEngine(team1({ keyVersion: 2 }));
        const earlier: EngineRun = { ...now, registrations: new Map([...now.registrations].map(([id, r]) => [id, { ...r, replacementTrigger: undefined }])) };
        assert.deepEqual(keySteps([...plan(earlier, now).during, ...plan(earlier, now).after]), []);
    });

    it("keeps the key when nothing of its access changes", async () => {
        const steps = plan(await runForEngine(team1({ keyVersion: 1 })), await runForEngine(team1({ keyVersion: 1, flux: { interval: "5m" } })));
        assert.deepEqual(keySteps([...steps.during, ...steps.after]), []);
    });
});

/** The same run as if one resource had been recorded under another name (a stack of an earlier version). */
function underName(engineRun: EngineRun, id: string, name: string): EngineRun {
    const [type] = id.split("::");
    const recording = engineRun.run.recording;
    const resources = recording.resources.map((r) => `${r.type}::${r.name}` === id ? { ...r, name } : r);
    const registrations = new Map([...engineRun.registrations].map(([key, r]) => key === id
        ? [`${type}::${name}`, { ...r, urn: r.urn.slice(0, r.urn.lastIndexOf("::") + 2) + name, accepted: new Set<string>() }]
        : [key, r]));
    return { run: { ...engineRun.run, recording: new Recording(resources, recording.logs) }, registrations };
}
