// An upgrade never replaces what holds state: a repo, a template, a deploy key, a keypair, a
// namespace. Each example stack's stateful resources and the inputs that would replace or rename
// them are recorded in test/fixtures/stateful.json; each must still be there with the same inputs.
// New ones may appear: record them with `UPDATE_STATEFUL=1 npx mocha test/program/statefulInputs.spec.ts`.
// A template is renamed on purpose when its layout's files change (test/components/templateNames.spec.ts): a
// new template for new repos, the old one archived; record that too.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runProgram } from "../kit/harness";
import { stackFile } from "../kit/stackConfig";

const fixture = path.join(__dirname, "..", "fixtures", "stateful.json");
/** By type, the inputs whose change would replace a resource or rename it on GitHub. */
const statefulInputs: Readonly<Record<string, readonly string[]>> = {
    "github:index/repository:Repository": ["name", "template", "isTemplate", "archiveOnDestroy"],
    "github:index/repositoryDeployKey:RepositoryDeployKey": ["repository", "title", "key", "readOnly"],
    "tls:index/privateKey:PrivateKey": ["algorithm"],
    "kubernetes:core/v1:Namespace": ["metadata"],
};

interface Stateful { readonly stack: string; readonly type: string; readonly name: string; readonly inputs: Record<string, unknown> }

async function statefulOf(stack: string): Promise<Stateful[]> {
    const run = await runProgram(stackFile(stack));
    assert.ifError(run.error);
    return run.recording.resources.filter((r) => statefulInputs[r.type] !== undefined).map((r) => ({
        stack, type: r.type, name: r.name,
        inputs: Object.fromEntries(statefulInputs[r.type].map((k) => [k, k === "metadata" ? r.inputs.metadata?.name : r.inputs[k]])),
    }));
}

describe("stateful resources of the example stacks", function () {
    this.timeout(60_000);

    it("keeps every recorded repo, template, key and namespace with the inputs it had", async () => {
        const now = [...await statefulOf("dev"), ...await statefulOf("migration")];
        if (process.env.UPDATE_STATEFUL) {
            fs.writeFileSync(fixture, JSON.stringify(now, null, 2) + "\n");
        }
        const recorded = JSON.parse(fs.readFileSync(fixture, "utf8")) as Stateful[];
        const same = (a: Stateful, b: Stateful) => a.stack === b.stack && a.type === b.type && a.name === b.name;
        const changed = recorded.filter((was) => {
            const is = now.find((n) => same(n, was));
            return is === undefined || JSON.stringify(is.inputs) !== JSON.stringify(was.inputs);
        });
        assert.deepEqual(changed, [], "stateful resources that an upgrade would replace, rename or delete");
        assert.ok(recorded.filter((r) => r.type === "github:index/repository:Repository").length >= 8, "the recording holds the repos and templates");
    });
});
