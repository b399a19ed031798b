// Values that look fine but that GitHub, git or fluxd would refuse later: each must be a config
// problem naming the key.
import { strict as assert } from "assert";
import { branchNameProblem } from "../../config/branchName";
import { maxGoDuration, parseGoDuration } from "../../components/shared/settings/goDuration";
import { validateConfig } from "../../config/validate";

function raw(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

function problemsOf(values: Record<string, unknown>): readonly string[] {
    const result = validateConfig(raw({ "github:owner": "org", "platform:teams": [], ...values }));
    return result.ok ? [] : result.problems;
}

describe("config values GitHub, git and fluxd would refuse later", () => {
    describe("github:owner", () => {
        it("accepts the names GitHub has: letters, digits, single inner hyphens, up to 39", () => {
            for (const owner of ["org", "O", "0", "my-org", "a-b-c1", "Dev-Team-2", "a".repeat(39)]) {
                assert.deepEqual(problemsOf({ "github:owner": owner }), [], owner);
            }
        });

        it("refuses leading, trailing and consecutive hyphens, other characters and more than 39", () => {
            const cases: Array<[string, RegExp]> = [
                ["-org", /single hyphens, not starting or ending with a hyphen/],
                ["org-", /single hyphens, not starting or ending with a hyphen/],
                ["my--org", /single hyphens/],
                ["my_org", /letters, digits and single hyphens/],
                ["my.org", /letters, digits and single hyphens/],
                ["a".repeat(40), /at most 39 characters \(it has 40\)/],
            ];
            for (const [owner, message] of cases) {
                const found = problemsOf({ "github:owner": owner });
                assert.equal(found.length, 1, owner);
                assert.ok(found[0].startsWith(`github:owner: ${JSON.stringify(owner).slice(0, 20)}`), found[0]);
                assert.match(found[0], message);
            }
        });
    });

    describe("branches (git check-ref-format --branch)", () => {
        it("accepts ordinary branch names, including '@' inside a name and non-ASCII", () => {
            for (const branch of ["main", "master", "release/v1.2", "feature/x-y_z", "a@b", "v1.0", "día", "a.lock-not", "x/y.z"]) {
                assert.equal(branchNameProblem(branch), undefined, branch);
            }
        });

        it("refuses every name git refuses or misreads, with the reason", () => {
            const cases: Array<[string, RegExp]> = [
                ["", /empty/],
                ["@", /'@' alone is git's shorthand for HEAD/],
                ["HEAD", /HEAD is git's name/],
                ["-main", /starts with '-'/],
                [".hidden", /component ".hidden" starts with '.'/],
                ["release/.x", /component ".x" starts with '.'/],
                ["main.lock", /ends with ".lock"/],
                ["a.lock/b", /component "a.lock" ends with ".lock"/],
                ["a..b", /'\.\.'/],
                ["a@{1}", /'@\{'/],
                ["a\u0001b", /control character \(0x01\)/],
                ["a\u007fb", /control character \(0x7f\)/],
                ["a\tb", /control character \(0x09\)/],
                ["a b", /a space/],
                ["a~1", /'~'/],
                ["a^", /'\^'/],
                ["a:b", /':'/],
                ["a?", /'\?'/],
                ["a*", /'\*'/],
                ["a[b", /'\['/],
                ["a\\b", /'\\'/],
                ["main/", /empty component/],
                ["/main", /empty component/],
                ["a//b", /empty component/],
                ["main.", /ends with '\.'/],
            ];
            for (const [branch, reason] of cases) {
                const why = branchNameProblem(branch);
                assert.ok(why, `${JSON.stringify(branch)} was accepted`);
                assert.match(why, reason, branch);
            }
        });

        it("names the key of the cluster's and of a team's branch", () => {
            assert.deepEqual(problemsOf({
                "platform:cluster": { branch: "@" },
                "platform:teams": [{ name: "team1", branch: "HEAD" }],
            }), [
                "platform:cluster.branch: \"@\" is not a branch name git accepts (git check-ref-format --branch): '@' alone is git's shorthand for HEAD",
                "platform:teams[0].branch: \"HEAD\" is not a branch name git accepts (git check-ref-format --branch): HEAD is git's name for the checked-out commit, not a branch",
            ]);
        });
    });

    describe("durations (Go's time.ParseDuration, as fluxd reads them)", () => {
        it("reads what Go reads, up to int64 nanoseconds", () => {
            const cases: Array<[string, bigint]> = [
                ["5m", 300_000_000_000n], ["1h30m", 5_400_000_000_000n], ["1.5h", 5_400_000_000_000n],
                [".5s", 500_000_000n], ["5.s", 5_000_000_000n], ["+5m", 300_000_000_000n], ["-1s", -1_000_000_000n],
                ["0", 0n], ["1\u00b5s", 1_000n], ["1\u03bcs", 1_000n], ["1us", 1_000n], ["1ns", 1n],
                ["2562047h47m16.854775807s", maxGoDuration], ["9223372036854775807ns", maxGoDuration],
                ["0.0000000001s", 0n], ["1.0000000000000000000000001s", 1_000_000_000n],
            ];
            for (const [text, nanoseconds] of cases) {
                assert.deepEqual(parseGoDuration(text), { ok: true, nanoseconds }, text);
            }
        });

        it("refuses what Go refuses, telling syntax from overflow", () => {
            for (const text of ["", "5", "5 m", "m", ".s", "-.s", "5d", "1h 30m", "5M", "--5m", "0s0", "1e3s"]) {
                assert.deepEqual(parseGoDuration(text), { ok: false, reason: "syntax" }, text);
            }
            for (const text of ["2562047h47m16.854775808s", "2562048h", "9223372036854775808ns", "9223372036854775807ns1ns",
                "99999999999999999999s", "2562047.9h", "1067510000000000h"]) {
                assert.deepEqual(parseGoDuration(text), { ok: false, reason: "overflow" }, text);
            }
        });

        it("names the key of an interval past Go's limit, and still of zero and negative ones", () => {
            assert.deepEqual(problemsOf({
                "platform:flux": { gitPollInterval: "2562048h", syncInterval: "-5m" },
                "platform:teams": [{ name: "team1", flux: { syncInterval: "2562047h47m16.854775808s", gitPollInterval: "0" } }],
            }), [
                "platform:flux.gitPollInterval: \"2562048h\" is longer than Go's longest duration, 2562047h47m16.854775807s, which fluxd cannot read",
                "platform:flux.syncInterval: \"-5m\" must be longer than zero",
                "platform:teams[0].flux.gitPollInterval: \"0\" must be longer than zero",
                "platform:teams[0].flux.syncInterval: \"2562047h47m16.854775808s\" is longer than Go's longest duration, 2562047h47m16.854775807s, which fluxd cannot read",
            ]);
        });
    });
});
