import { strict as assert } from "assert";
import * as fs from "fs";
import { blockOf } from "../kit/generatedBlock";
import { releasesDocCommand, releasesDocPath, renderReleasesBlock } from "../kit/releasesDoc";

describe("docs/engines.md", () => {
    it("lists the Flux v2 releases the validator accepts, as versions.ts pins them (npm run docs:releases)", () => {
        assert.equal(blockOf(fs.readFileSync(releasesDocPath, "utf8"), releasesDocCommand), renderReleasesBlock());
    });
});
