import { strict as assert } from "assert";
import { fenceDefaults } from "../../config/fence";
import { fluxV1Defaults } from "../../components/engines/flux1/config";
import { validateConfig } from "../../config/validate";
import { PlatformConfig } from "../../config/types";

function raw(values: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

function valid(values: Record<string, unknown>): PlatformConfig {
    const result = validateConfig(raw(values));
    if (!result.ok) {
        assert.fail(`expected valid config, got:\n${result.problems.join("\n")}`);
    }
    return result.config;
}

function problems(values: Record<string, unknown>): readonly string[] {
    const result = validateConfig(raw(values));
    assert.equal(result.ok, false, "expected the config to be rejected");
    return result.ok ? [] : result.problems;
}

const owner = { "github:owner": "org" };

describe("config validation", () => {
    it("fills every default from a config that names only the owner and a team", () => {
        const config = valid({ ...owner, "platform:teams": [{ name: "team1" }] });
        const flux = { image: "docker.io/fluxcd/flux:1.25.4", gitPollInterval: "5m", syncInterval: "5m", args: [] };
        assert.deepEqual(config.cluster, {
            repo: "dev-cluster", branch: "master", path: "cluster", create: true, keyVersion: 1, engine: { name: "flux1", settings: flux },
        });
        assert.equal(config.engines.flux1?.maxMemoryMb, 512);
        assert.match(config.engines.flux1?.image ?? "", /^docker\.io\/library\/memcached:1\.6\.\d+-alpine$/);
        assert.deepEqual(config.teams, [{
            name: "team1", repo: "dev-team1", branch: "master", path: "", layoutPaths: [""], create: true, keyVersion: 1,
            engine: { name: "flux1", settings: flux },
            slack: { channel: "alerts", user: "flagger" },
            fence: fenceDefaults,
            offboard: false,
        }]);
        assert.deepEqual(config.network, { ingressNamespaces: [] });
    });

    it("lets a team override the platform's Flux intervals, and inherit them otherwise", () => {
        const config = valid({
            ...owner,
            "platform:flux": { gitPollInterval: "10m", syncInterval: "1h30m" },
            "platform:teams": [
                { name: "team1", flux: { gitPollInterval: "1m", args: ["--registry-disable-scanning"] } },
                { name: "team2", repo: "Team2-Apps", branch: "release/v1", path: "deploy/prod", create: false },
            ],
        });
        assert.deepEqual(config.teams[0].engine, { name: "flux1", settings: {
            image: fluxV1Defaults.flux.image, gitPollInterval: "1m", syncInterval: "1h30m", args: ["--registry-disable-scanning"],
        } });
        assert.deepEqual(config.teams[1].engine, { name: "flux1", settings: { ...fluxV1Defaults.flux, gitPollInterval: "10m", syncInterval: "1h30m" } });
        assert.equal(config.teams[1].repo, "Team2-Apps");
        assert.equal(config.teams[1].branch, "release/v1");
        assert.equal(config.teams[1].path, "deploy/prod");
        assert.equal(config.teams[1].create, false);
    });

    it("accepts an empty team list: the platform with no teams yet", () => {
        assert.deepEqual(valid({ ...owner, "platform:teams": [] }).teams, []);
    });

    it("requires github:owner and platform:teams", () => {
        assert.deepEqual(problems({}), [
            "github:owner: is not set: every repo is created under it; run `pulumi config set github:owner <org>`",
            "platform:teams: is not set: list the teams, for example `pulumi config set --path 'platform:teams[0].name' team1` (an empty list [] is allowed)",
        ]);
    });

    it("names an unknown key and the key it was probably meant to be", () => {
        assert.deepEqual(problems({ ...owner, "platform:teams": [{ name: "team1", brnach: "main" }] }), [
            'platform:teams[0].brnach: unknown key; did you mean "branch"? (known keys: name, repo, branch, path, create, keyVersion, clusters, engine, flux, slack, podSecurity, policies, quota, limits, offboard)',
        ]);
        assert.deepEqual(problems({ ...owner, "platform:teams": [], "platform:team": [] }), [
            'platform:team: unknown key; did you mean "platform:teams"? (known keys: platform:engine, platform:fleet, platform:cluster, platform:flux, platform:memcached, platform:flux2, platform:network, platform:mirror, platform:teams, platform:teamOverrides, platform:flagger, platform:slackWebhook, platform:teamSlackWebhooks)',
        ]);
        assert.deepEqual(problems({ ...owner, "platform:teams": [], "platform:cluster": { repository: "x" } }), [
            "platform:cluster.repository: unknown key; (known keys: name, repo, branch, path, create, keyVersion, engine)",
        ]);
        assert.deepEqual(problems({ ...owner, "platform:teams": [{ name: "a", flux: { sync: "1m" } }] }), [
            "platform:teams[0].flux.sync: unknown key; (known keys: gitPollInterval, syncInterval, args)",
        ]);
    });

    it("ignores keys of other namespaces, which belong to the providers", () => {
        const result = validateConfig(raw({ ...owner, "platform:teams": [], "kubernetes:context": "prod", "github:token": "x" }),
            new Set(["github:token"]));
        assert.equal(result.ok, true);
    });

    it("rejects team names that cannot be namespaces, naming the key and the value", () => {
        const found = problems({
            ...owner,
            "platform:teams": [{ name: "Team_1" }, { name: "a".repeat(64) }, { name: "-x" }, { name: "" }],
        });
        assert.equal(found.length, 4);
        assert.match(found[0], /^platform:teams\[0\]\.name: "Team_1" is not a valid team name: .*DNS-1123 label/);
        assert.match(found[1], /^platform:teams\[1\]\.name: "a+\.\.\. is too long: .*at most 63 characters \(it has 64\)/);
        assert.match(found[2], /^platform:teams\[2\]\.name: "-x" is not a valid team name/);
        assert.match(found[3], /^platform:teams\[3\]\.name: "" is not a valid team name/);
    });

    it("accepts a 63-character team name", () => {
        valid({ ...owner, "platform:teams": [{ name: "a".repeat(63), repo: "long" }] });
    });

    it("rejects the namespaces of Kubernetes and of the platform", () => {
        const reserved = ["default", "kube-system", "kube-public", "flux-system", "flagger-system", "gatekeeper-system"];
        const found = problems({ ...owner, "platform:teams": reserved.map((name) => ({ name })) });
        assert.equal(found.length, reserved.length);
        for (const [i, name] of reserved.entries()) {
            assert.match(found[i], new RegExp(`^platform:teams\\[${i}\\]\\.name: "${name}" is reserved`));
        }
    });

    it("rejects duplicate teams and duplicate repos, repo names compared as GitHub does", () => {
        assert.deepEqual(problems({
            ...owner,
            "platform:teams": [
                { name: "team1" }, { name: "team1" }, { name: "team2", repo: "DEV-team1" }, { name: "cluster" },
            ],
        }), [
            'platform:teams[1].name: "team1" is already the name of platform:teams[0]: team names must be unique',
            'platform:teams[2].repo: "DEV-team1" is already the repo of platform:teams[0].repo: every Flux instance needs its own repo',
            'platform:teams[3].repo: "dev-cluster" is already the repo of platform:cluster.repo: every Flux instance needs its own repo',
        ]);
    });

    it("rejects malformed intervals, branches, paths, repos and images", () => {
        const found = problems({
            ...owner,
            "platform:flux": { gitPollInterval: "5 minutes", syncInterval: "0s", image: "flux 1.25" },
            "platform:cluster": { repo: "dev cluster", branch: "feature..x", path: "../etc", create: "yes" },
            "platform:memcached": { maxMemoryMb: 10.5 },
            "platform:teams": [{ name: "team1", path: "/abs", flux: { syncInterval: "5" } }],
        });
        assert.deepEqual(found, [
            'platform:cluster.repo: "dev cluster" is not a valid GitHub repository name: use letters, digits, \'.\', \'-\' and \'_\', at most 100',
            'platform:cluster.branch: "feature..x" is not a branch name git accepts (git check-ref-format --branch): it contains \'..\', which git reads as a range',
            'platform:cluster.path: "../etc" is not a path inside the repository: use a relative path such as "cluster" or "apps/prod", without \'..\', a leading \'/\' or a trailing \'/\'',
            'platform:cluster.create: must be true or false, got "yes"',
            'platform:flux.image: "flux 1.25" is not a container image reference',
            'platform:flux.gitPollInterval: "5 minutes" is not a duration: write it as Go does, for example 30s, 5m or 1h30m',
            'platform:flux.syncInterval: "0s" must be longer than zero',
            "platform:memcached.maxMemoryMb: must be a whole number from 64 to 65536, got 10.5",
            'platform:teams[0].path: "/abs" is not a path inside the repository: use a relative path such as "cluster" or "apps/prod", without \'..\', a leading \'/\' or a trailing \'/\'',
            'platform:teams[0].flux.syncInterval: "5" is not a duration: write it as Go does, for example 30s, 5m or 1h30m',
        ]);
    });

    it("refuses extra Flux args that would override what the platform owns", () => {
        const found = problems({
            ...owner,
            "platform:teams": [{
                name: "team1",
                flux: { args: ["--k8s-allow-namespace=default", "--k8s-namespace-whitelist=kube-system", "--git-url=git@evil:x", "registry-disable-scanning", 7, "--sync-garbage-collection"] },
            }],
        });
        assert.deepEqual(found, [
            'platform:teams[0].flux.args[0]: "--k8s-allow-namespace=default" sets --k8s-allow-namespace, which fences the team in: it adds namespaces the team\'s Flux may act in',
            'platform:teams[0].flux.args[1]: "--k8s-namespace-whitelist=kube-system" sets --k8s-namespace-whitelist, which fences the team in: it adds namespaces the team\'s Flux may act in (the old name of --k8s-allow-namespace)',
            'platform:teams[0].flux.args[2]: "--git-url=git@evil:x" sets --git-url, which the platform owns: the platform derives it from github:owner and the team\'s repo; set it through its own config key',
            'platform:teams[0].flux.args[3]: "registry-disable-scanning" is not a fluxd flag: write it as --name=value',
            "platform:teams[0].flux.args[4]: must be a string, got 7",
        ]);
    });

    it("reports every problem of every section at once", () => {
        const found = problems({
            "platform:teams": [{ name: "Bad" }, { name: "ok", brnach: "x" }, "team3"],
            "platform:memcached": "big",
        });
        assert.deepEqual(found.map((p) => p.slice(0, p.indexOf(": "))), [
            "github:owner",
            "platform:memcached",
            "platform:teams[0].name",
            "platform:teams[1].brnach",
            "platform:teams[2]",
        ]);
    });

    it("rejects a team entry that is not an object or has no name", () => {
        assert.deepEqual(problems({ ...owner, "platform:teams": [{ repo: "x" }, null] }), [
            "platform:teams[0].name: is missing: every team needs a name",
            "platform:teams[1]: must be an object with the keys name, repo, branch, path, create, keyVersion, clusters, engine, flux, slack, podSecurity, policies, quota, limits, offboard, got null",
        ]);
    });

    it("runs every repo on platform:engine unless the cluster or a team names its own, and names a wrong one's key", () => {
        const config = valid({ ...owner, "platform:engine": "flux1", "platform:teams": [{ name: "team1", engine: "flux1" }, { name: "team2" }] });
        assert.deepEqual([config.cluster.engine.name, ...config.teams.map((t) => t.engine.name)], ["flux1", "flux1", "flux1"]);
        assert.deepEqual(problems({
            ...owner, "platform:engine": "flux9", "platform:cluster": { engine: 2 }, "platform:teams": [{ name: "team1", engine: "argo" }],
        }), [
            'platform:engine: "flux9" is not an engine: use flux1 (Flux v1) or flux2 (Flux v2)',
            "platform:cluster.engine: must be a string, got 2",
            'platform:teams[0].engine: "argo" is not an engine: use flux1 (Flux v1) or flux2 (Flux v2)',
        ]);
    });

    it("refuses platform:engine set as a secret without showing it", () => {
        const result = validateConfig({ ...owner, "platform:engine": "flux1", "platform:teams": JSON.stringify([]) }, new Set(["platform:engine"]));
        assert.equal(result.ok, false);
        assert.match(result.ok ? "" : result.problems.join("\n"), /^platform:engine: is set with --secret, but the platform cannot keep it secret/);
    });
});
