import { strict as assert } from "assert";
import { githubLimits, onboardHours, refreshHours, requestCosts, stackTotals, totals } from "../../bench/githubBudget";
import { runProgram } from "../kit/harness";
import { stackFile } from "../kit/stackConfig";

describe("the benchmark's GitHub budget", () => {
    it("prices every GitHub type the program registers, and refuses one it cannot price", async () => {
        const run = await runProgram(stackFile("migration"));
        const types = new Set(run.recording.resources.map((r) => r.type).filter((t) => t.startsWith("github:")));
        assert.ok(types.size >= 4);
        for (const type of types) {
            assert.ok(requestCosts[type], `no cost for ${type}`);
        }
        assert.throws(() => totals({ "github:index/team:Team": 1 }), /no request cost known for github:index\/team:Team/);
    });

    it("takes the slowest limit: 500 content-creating requests an hour bound an onboarding, the primary limit a refresh", () => {
        const team = totals({ "github:index/repository:Repository": 1, "github:index/repositoryDeployKey:RepositoryDeployKey": 1 });
        assert.deepEqual(team, { objects: 2, create: 6, writes: 3, contentCreating: 1, refresh: 3 });
        const stack = stackTotals(totals({}), team, 1000);
        assert.equal(onboardHours(stack, githubLimits.tokenPerHour), 1000 / 500);
        assert.equal(refreshHours(stack, githubLimits.tokenPerHour), 3000 / 5000);
        assert.equal(refreshHours(stack, githubLimits.enterpriseAppPerHour), 3000 / 15000);
    });
});
