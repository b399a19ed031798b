import { strict as assert } from "assert";
import { buildInTurns } from "../../runtime/buildInTurns";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("buildInTurns", () => {
    it("builds the first item at once and each next one on a later turn of the event loop", async () => {
        const built: string[] = [];
        const done = buildInTurns(["a", "b", "c"], (item) => { built.push(item); return item.toUpperCase(); });
        assert.deepEqual(built, ["a"]);
        await nextTurn();
        assert.deepEqual(built, ["a", "b"]);
        await nextTurn();
        assert.deepEqual(built, ["a", "b", "c"]);
        assert.deepEqual(await done, ["A", "B", "C"]);
    });

    it("lets promises settle between two items", async () => {
        const seen: string[] = [];
        await buildInTurns([1, 2], (item) => {
            seen.push(`build ${item}`);
            void Promise.resolve().then(() => seen.push(`settled ${item}`));
        });
        assert.deepEqual(seen, ["build 1", "settled 1", "build 2", "settled 2"]);
    });

    it("resolves to nothing for no items", async () => {
        assert.deepEqual(await buildInTurns([], () => assert.fail("nothing to build")), []);
    });

    it("rejects with the first error and builds nothing after it", async () => {
        const built: number[] = [];
        const done = buildInTurns([1, 2, 3], (item) => {
            if (item === 2) throw new Error("team 2 is broken");
            built.push(item);
        });
        await assert.rejects(done, /team 2 is broken/);
        for (let i = 0; i < 3; i++) await nextTurn();
        assert.deepEqual(built, [1]);
    });
});
