// Moving code must not move resources: a resource whose URN changes without an alias is deleted
// and created anew by the next `pulumi up`, which means a new deploy key for every team, a new
// repo or a deleted namespace. The URNs of the example stack (with its secret webhooks, so every
// optional component is there) are recorded in test/fixtures/urns.json; each must still be the
// URN of a resource, or one it accepts through an alias. New resources may appear; record them
// with `UPDATE_URNS=1 npx mocha test/program/urns.spec.ts` and commit the file.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runProgram } from "../kit/harness";
import { EngineUrns, watchEngineUrns } from "../kit/urns";
import { stackFile } from "../kit/stackConfig";

const fixture = path.join(__dirname, "..", "fixtures", "urns.json");

async function exampleStackUrns(): Promise<EngineUrns> {
    const config = {
        ...stackFile("migration"),
        "platform:slackWebhook": "https://hooks.slack.com/services/T0/B0/platform",
        "platform:teamSlackWebhooks": { team2: "https://hooks.slack.com/services/T0/B0/team2" },
    };
    let read: (() => EngineUrns) | undefined;
    const run = await runProgram(config, ["platform:slackWebhook", "platform:teamSlackWebhooks"], undefined,
        () => { read = watchEngineUrns("test", "platform"); });
    assert.strictEqual(run.error, undefined);
    return read!();
}

describe("resource URNs of the example stack", function () {
    this.timeout(60_000);

    it("every recorded URN is still a resource's, or one it accepts through an alias", async () => {
        const now = await exampleStackUrns();
        if (process.env.UPDATE_URNS) {
            fs.writeFileSync(fixture, JSON.stringify(now.urns, null, 2) + "\n");
        }
        const recorded = JSON.parse(fs.readFileSync(fixture, "utf8")) as string[];
        const taken = new Set<string>();
        for (const accepted of now.accepted.values()) {
            accepted.forEach((urn) => taken.add(urn));
        }
        assert.deepStrictEqual(recorded.filter((urn) => !taken.has(urn)), [], "resources that would be replaced");
        assert.ok(recorded.length > 50, `only ${recorded.length} URNs recorded`);
    });

    it("qualifies a child by its parents' whole chain, as the engine does", async () => {
        const now = await exampleStackUrns();
        const key = now.urns.find((urn) => urn.endsWith("::platform-team-team1-repo-key"));
        assert.strictEqual(key, "urn:pulumi:test::platform::platform:index:Platform$platform:index:Team$" +
            "platform:index:GitHubRepo$tls:index/privateKey:PrivateKey::platform-team-team1-repo-key");
    });
});
