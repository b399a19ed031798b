// Flux v2's keys, read and validated by its engine (components/engines/flux2/config.ts).
import { strict as assert } from "assert";
import { validateConfig } from "../../config/validate";
import { runProgram } from "../kit/harness";

function problems(config: Record<string, unknown>): readonly string[] {
    const raw = Object.fromEntries(Object.entries({ "github:owner": "org", ...config })
        .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    const result = validateConfig(raw);
    return result.ok ? [] : result.problems;
}

describe("config validation: Flux v2", () => {
    it("accepts the releases the operator carries and refuses others, naming the Kubernetes versions", () => {
        const teams = { "platform:engine": "flux2", "platform:teams": [] };
        assert.deepEqual(problems({ ...teams, "platform:flux2": { version: "2.8.8" } }), []);
        const [wrong] = problems({ ...teams, "platform:flux2": { version: "2.x" } });
        assert.match(wrong, /^platform:flux2\.version: "2\.x" is not a Flux release this platform's Flux Operator installs: pin an exact one of 2\.9\.0 to 2\.9\.4 \(Kubernetes 1\.34 to 1\.36\), 2\.8\.0 to 2\.8\.8 \(Kubernetes 1\.33 to 1\.35\), but not 2\.8\.4$/);
        assert.equal(problems({ ...teams, "platform:flux2": { version: "2.8.4" } }).length, 1);
        assert.equal(problems({ ...teams, "platform:flux2": { version: "2.10.0" } }).length, 1);
    });

    it("refuses an operator older than 0.57.0, which would read any namespace's Secrets for a team's ResourceSet", () => {
        const teams = { "platform:engine": "flux2", "platform:teams": [] };
        assert.deepEqual(problems({ ...teams, "platform:flux2": { operatorVersion: "0.57.0" } }), []);
        assert.deepEqual(problems({ ...teams, "platform:flux2": { operatorVersion: "0.56.3" } }), [
            'platform:flux2.operatorVersion: "0.56.3" is older than 0.57.0: older operators let a team\'s ResourceSet read any namespace\'s Secrets',
        ]);
        assert.equal(problems({ ...teams, "platform:flux2": { operatorVersion: "0.9.99" } }).length, 1);
        assert.equal(problems({ ...teams, "platform:flux2": { operatorVersion: "1.0.0" } }).length, 0);
    });

    it("keeps the operator's NetworkPolicy on while a repo runs Flux v1 (the platform's own admits fluxd to memcached)", () => {
        const mixed = { "platform:teams": [{ name: "team1" }, { name: "team2", engine: "flux2" }] };
        assert.deepEqual(problems({ ...mixed, "platform:flux2": { networkPolicy: true } }), []);
        const result = validateConfig({ "github:owner": "org", "platform:teams": JSON.stringify(mixed["platform:teams"]) });
        assert.ok(result.ok);
        assert.equal(result.config.engines.flux2?.networkPolicy, true);
    });

    it("leaves the operator's web UI off unless it names the Secret with its authentication", () => {
        const teams = { "platform:engine": "flux2", "platform:teams": [] };
        const read = (webUi: unknown) => {
            const result = validateConfig({ "github:owner": "org", "platform:engine": "flux2", "platform:teams": "[]", "platform:flux2": JSON.stringify({ webUi }) });
            return result.ok ? result.config.engines.flux2?.webUi : undefined;
        };
        assert.equal(read(false), undefined);
        assert.deepEqual(read({ configSecretName: "flux-web-config" }), { configSecretName: "flux-web-config" });
        assert.deepEqual(problems({ ...teams, "platform:flux2": { webUi: true } }), [
            "platform:flux2.webUi: must be false, or { configSecretName } naming the Secret that configures the web UI's authentication, got true",
        ]);
        assert.deepEqual(problems({ ...teams, "platform:flux2": { webUi: {} } }), [
            "platform:flux2.webUi.configSecretName: is required: without authentication the web UI answers anyone with the operator's cluster-admin account",
        ]);
        assert.equal(problems({ ...teams, "platform:flux2": { webUi: { configSecretName: "Not_A_Name" } } }).length, 1);
    });

    it("names bad durations, sizes, resources and dedicated controllers by their keys", () => {
        assert.deepEqual(problems({
            "platform:engine": "flux2",
            "platform:flux2": { interval: "5 min", controllers: { size: "huge" } },
            "platform:teams": [
                { name: "team1", flux: { timeout: "1d", dedicatedControllers: "yes" } },
                { name: "team2", flux: { dedicatedControllers: { requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "1", memory: "512Mi" } } } },
                { name: "team3", flux: { dedicatedControllers: { requests: { memory: "lots" } } } },
                { name: "a-team-name-that-is-far-too-long-for-a-shard", flux: { dedicatedControllers: true } },
            ],
        }), [
            'platform:flux2.controllers.size: "huge" is not one of the operator\'s sizes: small, medium, large',
            'platform:flux2.interval: "5 min" is not a duration Flux\'s API takes: digits with ms, s, m or h, for example 30s, 5m or 1h30m',
            'platform:teams[0].flux.dedicatedControllers: must be true, false, or the controllers\' resources ({ requests, limits }), got "yes"',
            'platform:teams[0].flux.timeout: "1d" is not a duration Flux\'s API takes: digits with ms, s, m or h, for example 30s, 5m or 1h30m',
            'platform:teams[1].flux.dedicatedControllers.requests.memory: "1Gi" is more than limits.memory (512Mi)',
            'platform:teams[2].flux.dedicatedControllers.requests.memory: "lots" is not a quantity of bytes: write it as Kubernetes does, for example 512Mi or 4Gi (binary suffixes Ki, Mi, Gi, Ti; decimal k, M, G, T)',
            "platform:teams[3].flux.dedicatedControllers: needs a team name of at most 35 characters: the operator names the team's " +
            "controllers <controller>-a-team-name-that-is-far-too-long-for-a-shard, at most 63",
        ]);
    });

    it("asks for the images' variant with a registry of one's own, so that the operator keeps pinning them by digest", () => {
        const read = (flux2: Record<string, unknown>) => validateConfig({
            "github:owner": "org", "platform:engine": "flux2", "platform:flux2": JSON.stringify(flux2),
            "platform:teams": JSON.stringify([{ name: "team1" }]),
        });
        const mirror = read({ registry: "registry.example.com/fluxcd" });
        assert.ok(!mirror.ok);
        assert.match(mirror.problems.join("\n"), /^platform:flux2\.variant: is required with a registry of your own \(registry\.example\.com\/fluxcd\): one of upstream-alpine, /m);
        const pinned = read({ registry: "registry.example.com/fluxcd", variant: "upstream-alpine" });
        assert.ok(pinned.ok);
        assert.equal(pinned.config.engines.flux2?.variant, "upstream-alpine");
        const wrong = read({ registry: "registry.example.com/fluxcd", variant: "alpine" });
        assert.ok(!wrong.ok);
        assert.deepEqual(wrong.problems, ["platform:flux2.variant: \"alpine\" is not a build of the Flux images: one of upstream-alpine, enterprise-alpine, enterprise-distroless, enterprise-distroless-fips"]);
        // The operator's own registries need none (flux-operator v0.58.1 internal/builder/images.go).
        assert.ok(read({ registry: "ghcr.io/controlplaneio-fluxcd/distroless" }).ok);
        const plain = read({});
        assert.ok(plain.ok);
        assert.equal(plain.config.engines.flux2?.variant, undefined);
    });

    it("hands a mirror's registry and variant to the FluxInstance (this stack goes to the real API server with the catalogue)", async () => {
        const run = await runProgram({
            "github:owner": "org", "platform:engine": "flux2",
            "platform:flux2": { registry: "registry.example.com/fluxcd", variant: "upstream-alpine" }, "platform:teams": [{ name: "team1" }],
        });
        assert.equal(run.error, undefined);
        const instance = run.recording.k8s("kubernetes:fluxcd.controlplane.io/v1:FluxInstance", "flux-system", "flux");
        assert.equal(instance.inputs.spec.distribution.registry, "registry.example.com/fluxcd");
        assert.equal(instance.inputs.spec.distribution.variant, "upstream-alpine");
    });

    it("installs the image controllers and the shards the teams ask for, and nothing a team does not", () => {
        const result = validateConfig({
            "github:owner": "org", "platform:engine": "flux2",
            "platform:teams": JSON.stringify([{ name: "team1" }, { name: "team2", flux: { imageAutomation: true, dedicatedControllers: true } }]),
        });
        assert.ok(result.ok);
        assert.equal(result.config.engines.flux2?.imageAutomation, true);
        assert.deepEqual(result.config.engines.flux2?.shards.map((s) => s.name), ["team2"]);
        const none = validateConfig({ "github:owner": "org", "platform:engine": "flux2", "platform:teams": JSON.stringify([{ name: "team1" }]) });
        assert.ok(none.ok);
        assert.equal(none.config.engines.flux2?.imageAutomation, false);
        assert.deepEqual(none.config.engines.flux2?.shards, []);
    });

    it("keeps a removed team's shard while platform:flux2.retiredShards names it, at the defaults, and refuses one whose team still has it", () => {
        const retired = validateConfig({
            "github:owner": "org", "platform:engine": "flux2",
            "platform:flux2": JSON.stringify({ retiredShards: ["team3"] }),
            "platform:teams": JSON.stringify([{ name: "team1" }, { name: "team2", flux: { dedicatedControllers: true } }]),
        });
        assert.ok(retired.ok);
        assert.deepEqual(retired.config.engines.flux2?.shards, [
            { name: "team2", resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1000m", memory: "512Mi" } } },
            { name: "team3", resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1000m", memory: "512Mi" } } },
        ]);
        assert.deepEqual(problems({
            "platform:engine": "flux2",
            "platform:flux2": { retiredShards: ["team2", "Team4", "team5", "team5"] },
            "platform:teams": [{ name: "team2", flux: { dedicatedControllers: true } }],
        }), [
            'platform:flux2.retiredShards[1]: "Team4" is not a team\'s shard: a team name of at most 35 characters',
            'platform:flux2.retiredShards: lists "team5" twice',
            'platform:flux2.retiredShards: lists "team2", whose team still has dedicated controllers: a shard is retired in the same change that removes its team\'s entry',
        ]);
    });
});
