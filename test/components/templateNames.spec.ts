// Template repos are named from the files they hold: a layout this version changes reaches the
// repos created from then on, through a template of a new name, while every template made before
// keeps its name (its layout is one of those named by their parameters).
import * as assert from "assert";
import { createHash } from "crypto";
import { engines } from "../../components/engines/registry";
import { layoutShape, teamLayoutKey, teamTemplates, templateRepoName } from "../../components/platform/teamTemplates";
import { BoundEngine } from "../../components/shared/engine";
import { record } from "../kit/harness";
import { teamSettings } from "../kit/teamFixture";

/** An engine as teamTemplates sees it: its name and the files it starts a team repo with. */
const engineWith = (teamRepoFiles: BoundEngine["teamRepoFiles"]) => ({ engine: "flux2", teamRepoFiles }) as unknown as BoundEngine;
const today = engineWith((path) => engines.flux2.traits.teamRepoFiles(path));
const edited = engineWith((path) => ({ ...engines.flux2.traits.teamRepoFiles(path), [path === "" ? "README.md" : `${path}/README.md`]: "changed\n" }));
const settings = { ...teamSettings, path: "", layoutPaths: [""], branch: "main" };

describe("template repos named from their files", () => {
    it("keeps the name every template of this version's layouts has had", () => {
        const key = teamLayoutKey(today, settings, []);
        const legacy = createHash("sha256").update(JSON.stringify(["flux2", "main", "", "none"])).digest("hex").slice(0, 8);
        assert.equal(templateRepoName(key), `platform-template-flux2-${legacy}`);
    });

    it("names a changed layout anew, so repos created from then on start from it", async () => {
        assert.notEqual(layoutShape(edited, []), layoutShape(today, []));
        const { recording } = await record(() => {
            const refs = teamTemplates("platform", { owner: "org", teams: [{ settings, engine: edited }], addons: [] }, {});
            return refs.get("team1")!.repository;
        });
        const templates = recording.ofType("github:index/repository:Repository");
        assert.equal(templates.length, 1);
        assert.notEqual(templates[0].inputs.name, templateRepoName(teamLayoutKey(today, settings, [])));
        assert.match(templates[0].inputs.name, /^platform-template-flux2-[0-9a-f]{8}$/);
        assert.ok(recording.ofType("github:index/repositoryFile:RepositoryFile").some((f) => f.inputs.file === "README.md"));
    });

    it("depends on the files alone, not on where a stack keeps its folders", () => {
        const nested = { ...settings, path: "apps", layoutPaths: ["apps"] };
        assert.equal(teamLayoutKey(today, nested, []).shape, teamLayoutKey(today, settings, []).shape);
        assert.equal(teamLayoutKey(edited, nested, []).shape, teamLayoutKey(edited, settings, []).shape);
    });
});
