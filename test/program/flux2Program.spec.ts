// The whole program with Flux v2: a stack that runs only Flux v2, a stack that runs both, and a
// team moving from Flux v1 to Flux v2 (and what that shows in a preview).
import { strict as assert } from "assert";
import { fakePublicKey, ProgramRun, runProgram } from "../kit/harness";
import { compare } from "../kit/runDiff";

const owner = { "github:owner": "org" };
const kustomization = "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization";
const gitRepository = "kubernetes:source.toolkit.fluxcd.io/v1:GitRepository";
const fluxInstance = "kubernetes:fluxcd.controlplane.io/v1:FluxInstance";
const deployment = "kubernetes:apps/v1:Deployment";
const deployKey = "github:index/repositoryDeployKey:RepositoryDeployKey";
const namespace = "kubernetes:core/v1:Namespace";

async function run(config: Record<string, unknown>, secretKeys: string[] = []): Promise<ProgramRun> {
    const result = await runProgram({ ...owner, ...config }, secretKeys);
    assert.equal(result.error, undefined, result.error?.message);
    return result;
}

describe("the program with Flux v2", function () {
    this.timeout(60_000);

    it("installs the operator and one FluxInstance, and no Flux v1 part, when every repo runs flux2", async () => {
        const { recording } = await run({ "platform:engine": "flux2", "platform:teams": [{ name: "team1" }, { name: "team2" }] });
        assert.equal(recording.ofType(fluxInstance).length, 1);
        assert.equal(recording.ofType("platform:index:FluxV1").length, 0);
        assert.equal(recording.ofType("platform:index:Memcached").length, 0);
        assert.equal(recording.ofType(deployment).length, 0, "no pod of the platform's in any namespace but the charts'");
        assert.deepEqual(recording.ofType(kustomization).map((k) => k.inputs.metadata.namespace).sort(), ["flux-system", "team1", "team2"]);
        // The operator's NetworkPolicy is on when nothing else runs in flux-system.
        assert.equal(recording.ofType(fluxInstance)[0].inputs.spec.cluster.networkPolicy, true);
    });

    it("enforces restricted with Pod Security itself for a Flux v2 team, which runs no pod of the platform's", async () => {
        const { recording } = await run({
            "platform:engine": "flux2",
            "platform:teams": [{ name: "team1", podSecurity: "restricted" }, { name: "team2", engine: "flux1", podSecurity: "restricted" }],
        });
        const enforce = (team: string) => recording.k8s(namespace, undefined, team).inputs.metadata.labels["pod-security.kubernetes.io/enforce"];
        assert.equal(enforce("team1"), "restricted");
        assert.equal(enforce("team2"), "baseline");
    });

    it("gives a Flux v2 team a read-only key, and a write key only with image automation", async () => {
        const { recording } = await run({
            "platform:engine": "flux2",
            "platform:teams": [{ name: "team1" }, { name: "team2", flux: { imageAutomation: true } }],
        });
        const readOnly = (team: string) => recording.get(deployKey, `platform-team-${team}-repo-deploy-key`).inputs.readOnly;
        assert.equal(readOnly("team1"), true);
        assert.equal(readOnly("team2"), false);
        assert.ok(recording.ofType(fluxInstance)[0].inputs.spec.components.includes("image-automation-controller"));
    });

    it("runs both engines side by side, the operator's NetworkPolicy on and the platform's admitting Flux v1 teams' fluxds to memcached", async () => {
        const { recording } = await run({
            "platform:teams": [{ name: "team1" }, { name: "team2", engine: "flux2", flux: { dedicatedControllers: true } }],
        });
        assert.equal(recording.ofType("platform:index:FluxV1").length, 2, "the system Flux and team1's");
        assert.equal(recording.ofType("platform:index:FluxV2").length, 1);
        const instance = recording.ofType(fluxInstance)[0].inputs.spec;
        assert.equal(instance.cluster.networkPolicy, true);
        assert.equal(recording.k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", "flux-system", "platform-memcached-from-fluxd").inputs.spec.ingress[0].ports[0].port, 11211);
        assert.deepEqual(instance.sharding.shards, ["team2"]);
        assert.equal(recording.k8s(kustomization, "team2", "gitops-platform").inputs.metadata.labels["sharding.fluxcd.io/key"], "team2");
        // Both engines' exemptions reach the TeamGuard; Flux v2 has no pod to exempt.
        const restricted = recording.get("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
            "platform-tenant-guard-restricted-pods-policy").inputs.spec.matchConditions[0].expression as string;
        assert.match(restricted, /o\.name == 'flux-'/);
    });

    it("reports a Flux v2 team's failed syncs to the team's webhook, kept secret, and Flagger's to its AlertProvider", async () => {
        const webhook = "https://hooks.slack.com/services/T0/B0/team1secret";
        const { recording } = await run({
            "platform:engine": "flux2",
            "platform:teams": [{ name: "team1", slack: { channel: "team1-deploys" } }],
            "platform:teamSlackWebhooks": { team1: webhook },
        }, ["platform:teamSlackWebhooks"]);
        const provider = recording.k8s("kubernetes:notification.toolkit.fluxcd.io/v1beta3:Provider", "team1", "flux-slack");
        assert.equal(provider.inputs.spec.channel, "team1-deploys");
        const secrets = recording.ofType("kubernetes:core/v1:Secret").filter((s) => JSON.stringify(s.inputs).includes(webhook));
        assert.equal(secrets.length, 2, "Flux's Provider Secret and Flagger's AlertProvider Secret");
        assert.ok(secrets.every((s) => s.secretInputs.has("stringData")));
        assert.equal(recording.ofType("kubernetes:flagger.app/v1beta1:AlertProvider").length, 1);
    });

    it("refuses a Flux v1 setting on a Flux v2 team and the reverse, and an engine's keys no repo uses", async () => {
        const result = await runProgram({
            ...owner,
            "platform:memcached": { maxMemoryMb: 256 },
            "platform:engine": "flux2",
            "platform:teams": [{ name: "team1", flux: { args: ["--git-readonly"], interval: "1m" } }, { name: "team2", engine: "flux1", flux: { timeout: "1m" } }],
        });
        assert.ok(result.error);
        const lines = result.error.message.split("\n").slice(1).map((l) => l.trim());
        assert.deepEqual(lines, [
            "- platform:teams[0].flux.args: is a Flux v1 setting, but this team runs flux2 (Flux v2), which reads interval, timeout, imageAutomation, dedicatedControllers",
            "- platform:teams[1].flux.timeout: is a Flux v2 setting, but this team runs flux1 (Flux v1), which reads gitPollInterval, syncInterval, args",
        ]);
        // Once no repo runs flux1, its keys are read by nothing, and said so.
        const none = await runProgram({ ...owner, "platform:memcached": { maxMemoryMb: 256 }, "platform:engine": "flux2", "platform:teams": [] });
        assert.match(none.error?.message ?? "", /- platform:memcached: is a Flux v1 setting, and no repo runs flux1: nothing reads it/);
    });
});

describe("moving a team from Flux v1 to Flux v2", function () {
    this.timeout(60_000);
    const teams = (engine2: string) => ({ "platform:teams": [{ name: "team1" }, { name: "team2", engine: engine2 }] });

    it("keeps the team's namespace, repo and key, and swaps only its Flux v1 parts for Flux v2 parts", async () => {
        const before = await run(teams("flux1"));
        const after = await run(teams("flux2"));
        const diff = compare(before, after);
        const team2 = /::platform-team-team2-/;
        // The Flux v2 install, and the template new Flux v2 team repos are made from.
        const engineShared = /::platform-(flux2|template-flux2-[0-9a-f]{8})(-|$)/;
        // Only team2's resources and the Flux v2 install appear or go.
        assert.deepEqual(diff.removed.filter((k) => !team2.test(k)), []);
        assert.deepEqual(diff.added.filter((k) => !team2.test(k) && !engineShared.test(k)), []);
        assert.ok(diff.added.some((k) => k.startsWith(`${fluxInstance}::platform-flux2`)), "Flux v2 is installed with its first repo");
        assert.ok(diff.removed.some((k) => k.startsWith("kubernetes:apps/v1:Deployment::platform-team-team2-flux")));
        assert.ok(diff.added.some((k) => k.startsWith(`${kustomization}::platform-team-team2-flux`)));
        assert.ok(diff.added.some((k) => k.startsWith(`${gitRepository}::platform-team-team2-flux`)));
        // The repo, the keypair and the namespace stay: same URN, same key.
        for (const kept of ["github:index/repository:Repository::platform-team-team2-repo-repo",
            "tls:index/privateKey:PrivateKey::platform-team-team2-repo-key", `${namespace}::platform-team-team2-namespace`]) {
            assert.ok(!diff.removed.includes(kept) && !diff.added.includes(kept), kept);
        }
        // What changes in place on them: the namespace's labels only if its level changes (not
        // here), and the deploy key becomes read-only (Flux v2 only reads).
        assert.deepEqual(diff.changed[`${namespace}::platform-team-team2-namespace`], undefined);
        assert.deepEqual(diff.changed[`${deployKey}::platform-team-team2-repo-deploy-key`], [".readOnly"]);
        const key = after.recording.get(deployKey, "platform-team-team2-repo-deploy-key").inputs.key;
        assert.equal(key, fakePublicKey("platform-team-team2-repo-key"));
        // Nothing else changes but the TeamGuard, which now also allows Flux v2's bookkeeping on
        // a team's Namespace and keeps every team's objects off other teams' Flux v2 shards;
        // team1, still on Flux v1, is untouched.
        assert.deepEqual(Object.keys(diff.changed).filter((k) => !team2.test(k)).sort(), [
            "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy::platform-tenant-guard-platform-objects-policy",
            "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy::platform-tenant-guard-team-namespaces-policy",
        ]);
    });

    it("writes nothing to the team's repo: its Flux v1 files stay, the template is read only when a repo is created", async () => {
        const before = await run(teams("flux1"));
        const after = await run(teams("flux2"));
        for (const { recording } of [before, after]) {
            assert.deepEqual(recording.ofType("github:index/repositoryFile:RepositoryFile").filter((f) => f.inputs.repository === "dev-team2"), []);
        }
        // The repo names the Flux v2 template now, an input it ignores once created (GitHubRepo).
        assert.deepEqual(compare(before, after).changed["github:index/repository:Repository::platform-team-team2-repo-repo"], [".template.repository"]);
    });
});
