// CHANGELOG.md and package.json name the same version, so the tag `v<version>` of a release is the
// version its notes describe.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const root = path.join(__dirname, "..", "..");
const headings = () => [...fs.readFileSync(path.join(root, "CHANGELOG.md"), "utf8").matchAll(/^## (.+)$/gm)].map((m) => m[1]);

describe("the changelog (CHANGELOG.md)", () => {
    it("names every version with its date, newest first, the newest released one being package.json's", () => {
        const versions = headings().filter((h) => h !== "Unreleased");
        assert.ok(versions.length > 0);
        const parsed = versions.map((h) => {
            const match = /^(\d+)\.(\d+)\.(\d+) \((\d{4}-\d{2}-\d{2})\)$/.exec(h);
            assert.ok(match, `"## ${h}" is not "## <major>.<minor>.<patch> (<yyyy-mm-dd>)"`);
            return { version: match.slice(1, 4).map(Number), date: match[4], text: h.split(" ")[0] };
        });
        const version = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
        assert.equal(parsed[0].text, version);
        for (let i = 1; i < parsed.length; i++) {
            const [a, b] = [parsed[i - 1], parsed[i]];
            assert.ok(a.version.join(".") !== b.version.join(".") && a.date >= b.date &&
                (a.version[0] - b.version[0] || a.version[1] - b.version[1] || a.version[2] - b.version[2]) > 0, `${a.text} before ${b.text}`);
        }
    });

    it("keeps unreleased changes above every version", () => {
        const unreleased = headings().indexOf("Unreleased");
        assert.ok(unreleased <= 0, "## Unreleased comes first, or not at all");
    });
});
