// `offboard`, the first of the two steps that remove a team: read on a team entry only, a boolean,
// and every misuse a problem naming its key.
import { strict as assert } from "assert";
import { validateConfig } from "../../config/validate";

const owner = { "github:owner": "org" };

function validate(values: Record<string, unknown>) {
    const raw = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    return validateConfig(raw);
}

function problems(values: Record<string, unknown>): readonly string[] {
    const result = validate(values);
    assert.equal(result.ok, false, "expected the config to be rejected");
    return result.ok ? [] : result.problems;
}

describe("a team's offboard key", () => {
    it("is false unless a team sets it, and read for each team on its own", () => {
        const result = validate({ ...owner, "platform:teams": [{ name: "team1" }, { name: "team2", offboard: true }] });
        assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
        assert.deepEqual(result.config.teams.map((team) => [team.name, team.offboard]), [["team1", false], ["team2", true]]);
    });

    it("must be true or false", () => {
        assert.deepEqual(problems({ ...owner, "platform:teams": [{ name: "team1", offboard: "yes" }] }),
            ['platform:teams[0].offboard: must be true or false, got "yes"']);
    });

    it("is refused on the cluster repo and at the top, pointing at the teardown, with nothing else said of it", () => {
        const found = problems({ ...owner, "platform:cluster": { offboard: true }, "platform:offboard": true, "platform:teams": [] });
        assert.equal(found.length, 2, found.join("\n"));
        assert.match(found.find((p) => p.startsWith("platform:cluster.offboard: "))!,
            /is a team's key \(platform:teams\[i\]\.offboard\); the cluster admins' repo is not offboarded: .*offboard every team, then run `pulumi destroy`/);
        assert.match(found.find((p) => p.startsWith("platform:offboard: "))!, /is a team's key .*Tearing the platform down/);
    });
});
