// A fleet's config: what each stack reads of the shared list, and every mistake named by the key
// the user wrote it at.
import * as assert from "assert";
import { validateConfig } from "../../config/validate";

type Config = Record<string, unknown>;
const fleet = { clusters: ["staging", "production"], owner: "staging" };
const base: Config = {
    "github:owner": "org", "platform:engine": "flux2", "platform:fleet": fleet,
    "platform:teams": [{ name: "team1" }, { name: "team2", path: "apps", quota: { cpu: "4", memory: "8Gi" } }],
};

function validate(config: Config, secretKeys: string[] = []) {
    const raw = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    return validateConfig(raw, new Set(secretKeys));
}
function problems(config: Config, secretKeys: string[] = []): readonly string[] {
    const result = validate(config, secretKeys);
    assert.ok(!result.ok, "expected problems");
    return result.problems;
}
function settings(config: Config) {
    const result = validate(config);
    assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
    return result.config;
}

describe("config validation: a fleet", () => {
    it("leaves a stack of its own as it was: no fleet, the root synced, each repo created", () => {
        const config = settings({ ...base, "platform:fleet": undefined });
        assert.equal(config.fleet, undefined);
        assert.deepEqual(config.teams.map((t) => [t.repo, t.path, t.create, t.layoutPaths]), [
            ["dev-team1", "", true, [""]], ["dev-team2", "apps", true, ["apps"]],
        ]);
        assert.equal(config.cluster.repo, "dev-cluster");
    });

    it("syncs <path>/<cluster> on each cluster, and starts the repo with every cluster's folder", () => {
        for (const cluster of ["staging", "production"]) {
            const config = settings({ ...base, "platform:cluster": { name: cluster } });
            assert.deepEqual(config.fleet, { cluster, clusters: ["staging", "production"], owner: "staging" });
            assert.equal(config.cluster.repo, `${cluster}-cluster`);
            assert.deepEqual(config.teams.map((t) => [t.repo, t.path, t.create]), [
                ["dev-team1", cluster, cluster === "staging"], ["dev-team2", `apps/${cluster}`, cluster === "staging"],
            ]);
            assert.deepEqual(config.teams[1].layoutPaths, ["apps/staging", "apps/production"]);
        }
    });

    it("takes the first cluster as the owner when none is named", () => {
        const config = settings({ ...base, "platform:fleet": { clusters: ["eu", "us"] }, "platform:cluster": { name: "us" } });
        assert.equal(config.fleet?.owner, "eu");
        assert.ok(config.teams.every((t) => !t.create));
    });

    it("merges a stack's override into the shared entry, key by key", () => {
        const config = settings({
            ...base, "platform:cluster": { name: "production" },
            "platform:teamOverrides": { team2: { quota: { cpu: "8" }, offboard: true } },
        });
        const team2 = config.teams.find((t) => t.name === "team2")!;
        assert.equal(team2.fence.quota.cpu, "8");
        assert.equal(team2.fence.quota.memory, "8Gi");
        assert.equal(team2.offboard, true);
        assert.equal(config.teams.find((t) => t.name === "team1")!.offboard, false);
    });

    it("runs a team only on the clusters it names", () => {
        const teams = [{ name: "team1" }, { name: "team2", clusters: ["staging"] }];
        assert.deepEqual(settings({ ...base, "platform:teams": teams, "platform:cluster": { name: "production" } }).teams.map((t) => t.name), ["team1"]);
        assert.deepEqual(settings({ ...base, "platform:teams": teams, "platform:cluster": { name: "staging" } }).teams.map((t) => t.name), ["team1", "team2"]);
    });

    it("names the stack's cluster, and only one of the fleet's", () => {
        assert.deepEqual(problems(base), [
            "platform:cluster.name: is not set: a stack of the fleet says which cluster it is " +
            "(`pulumi config set --path platform:cluster.name <staging|production>`)",
        ]);
        assert.deepEqual(problems({ ...base, "platform:cluster": { name: "prodution" } }), [
            "platform:cluster.name: \"prodution\" is not one of platform:fleet.clusters (staging, production); did you mean \"production\"?",
        ]);
        assert.match(problems({ ...base, "platform:fleet": undefined, "platform:cluster": { name: "staging" } })[0],
            /^platform:cluster.name: names a cluster of a fleet, but platform:fleet is not set/);
    });

    it("refuses a fleet without clusters, a cluster twice, or an owner outside it", () => {
        assert.deepEqual(problems({ ...base, "platform:fleet": { clusters: ["staging", "staging"], owner: "prod" }, "platform:cluster": { name: "staging" } }), [
            "platform:fleet.clusters[1]: \"staging\" is listed twice",
            "platform:fleet.owner: \"prod\" is not one of platform:fleet.clusters (staging)",
        ]);
        assert.deepEqual(problems({ ...base, "platform:fleet": { owner: "staging" }, "platform:cluster": { name: "staging" } })[0],
            "platform:fleet.clusters: is not set: list the fleet's clusters, for example [staging, production]");
        assert.match(problems({ ...base, "platform:fleet": { clusters: ["Staging"] }, "platform:cluster": { name: "Staging" } })[0],
            /^platform:fleet.clusters\[0\]: "Staging" is not a cluster name/);
    });

    it("reports a bad override under the override's key, and a bad shared value under the list's", () => {
        const found = problems({
            ...base, "platform:cluster": { name: "production" },
            "platform:teams": [{ name: "team1", podSecurity: "strict" }, { name: "team2" }],
            "platform:teamOverrides": { team2: { quota: { cpu: "lots" } } },
        });
        assert.ok(found.some((p) => p.startsWith("platform:teams[0].podSecurity:")), found.join("\n"));
        assert.ok(found.some((p) => p.startsWith("platform:teamOverrides.team2.quota.cpu:")), found.join("\n"));
    });

    it("refuses an override of what every cluster shares, of a team not in the list, and outside a fleet", () => {
        assert.deepEqual(problems({
            ...base, "platform:cluster": { name: "production" },
            "platform:teamOverrides": { team1: { repo: "other", clusters: ["production"] }, tem2: {} },
        }), [
            "platform:teamOverrides.team1.repo: is the same on every cluster: set it on the team's entry in platform:teams",
            "platform:teamOverrides.team1.clusters: is the same on every cluster: set it on the team's entry in platform:teams",
            "platform:teamOverrides.tem2: is not a team of platform:teams; did you mean \"team2\"?",
        ]);
        assert.match(problems({ ...base, "platform:fleet": undefined, "platform:teamOverrides": { team1: {} } })[0],
            /^platform:teamOverrides: is for a stack of a fleet/);
    });

    it("keeps every team's repo with the owner: a team it does not run must bring its own repo", () => {
        const teams = [{ name: "team1", clusters: ["production"] }];
        assert.deepEqual(problems({ ...base, "platform:teams": teams, "platform:cluster": { name: "production" } }), [
            "platform:teams[0].clusters: leaves out staging, whose stack creates every team's repo (platform:fleet.owner): " +
            "include it, or set create: false on the entry and create the repo yourself",
        ]);
        const adopted = settings({ ...base, "platform:teams": [{ ...teams[0], create: false }], "platform:cluster": { name: "production" } });
        assert.deepEqual(adopted.teams.map((t) => [t.name, t.create]), [["team1", false]]);
        assert.match(problems({ ...base, "platform:teams": [{ name: "team1", clusters: ["edge"] }], "platform:cluster": { name: "staging" } }).join("\n"),
            /platform:teams\[0\].clusters\[0\]: "edge" is not one of platform:fleet.clusters/);
    });

    it("refuses a repo created by a cluster that does not own the teams' repos", () => {
        assert.match(problems({ ...base, "platform:teams": [{ name: "team1", create: true }], "platform:cluster": { name: "production" } })[0],
            /^platform:teams\[0\].create: is true, but the team's repo is created by the stack of staging/);
    });

    it("gives each cluster's fluxd its own sync tag and notes on a shared repo, unless the team chose them", () => {
        const teams = [{ name: "team1", engine: "flux1" }, { name: "team2", engine: "flux1", flux: { args: ["--git-sync-tag=ours"] } }];
        const args = (config: ReturnType<typeof settings>) => config.teams.map((t) => t.engine.name === "flux1" ? t.engine.settings.args : []);
        assert.deepEqual(args(settings({ ...base, "platform:teams": teams, "platform:cluster": { name: "production" } })),
            [["--git-label=flux-production"], ["--git-sync-tag=ours"]]);
        assert.deepEqual(args(settings({ ...base, "platform:teams": teams, "platform:cluster": { name: "staging" } }))[0], ["--git-label=flux-staging"]);
        assert.deepEqual(args(settings({ ...base, "platform:teams": teams, "platform:fleet": undefined })), [[], ["--git-sync-tag=ours"]]);
    });

    it("refuses the fleet and the overrides as secrets, as it does the team list", () => {
        const found = problems({ ...base, "platform:cluster": { name: "staging" }, "platform:teamOverrides": { team1: {} } },
            ["platform:fleet", "platform:teamOverrides"]);
        assert.ok(found.some((p) => p.startsWith("platform:fleet: is set with --secret")), found.join("\n"));
        assert.ok(found.some((p) => p.startsWith("platform:teamOverrides: is set with --secret")), found.join("\n"));
        assert.ok(found.every((p) => !p.includes("team1")), found.join("\n"));
    });
});
