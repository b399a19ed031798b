import { strict as assert } from "assert";
import { validateConfig } from "../../config/validate";

const base = { "github:owner": "org", "platform:teams": JSON.stringify([{ name: "team1" }]) };
const problems = (extra: Record<string, string>, secret: string[] = []) => {
    const result = validateConfig({ ...base, ...extra }, new Set(secret));
    return result.ok ? [] : result.problems;
};

describe("config: the GitHub provider's pacing, retries and App authentication", () => {
    it("takes the recommended settings of docs/github.md", () => {
        assert.deepEqual(problems({
            "github:writeDelayMs": "1000", "github:readDelayMs": "0", "github:retryDelayMs": "1000", "github:maxRetries": "3",
            "github:parallelRequests": "false", "github:retryableErrors": "[500,502,503,504]",
            "github:appAuth": JSON.stringify({ id: "1", installationId: "2", pemFile: "secret" }),
        }, ["github:appAuth"]), []);
    });

    it("refuses what the provider refuses (negative or not whole numbers, not a boolean), and delays in seconds by mistake", () => {
        assert.deepEqual(problems({
            "github:writeDelayMs": "-1", "github:readDelayMs": "0.5", "github:maxRetries": "three",
            "github:retryDelayMs": "7200000", "github:parallelRequests": "yes",
        }), [
            "github:writeDelayMs: is \"-1\", but the GitHub provider takes a whole number, 0 or more",
            "github:readDelayMs: is \"0.5\", but the GitHub provider takes a whole number, 0 or more",
            "github:retryDelayMs: is 7200000 ms, more than an hour between requests: it is in milliseconds (see docs/github.md)",
            "github:maxRetries: is \"three\", but the GitHub provider takes a whole number, 0 or more",
            "github:parallelRequests: is \"yes\", but the GitHub provider takes true or false",
        ]);
    });

    it("takes only HTTP error statuses as retryable, and not the rate limits the provider already waits out", () => {
        assert.match(problems({ "github:retryableErrors": "502" })[0], /^github:retryableErrors: must be a list of HTTP status codes/);
        assert.deepEqual(problems({ "github:retryableErrors": "[200, \"x\", 502]" }),
            ["github:retryableErrors: holds 200, \"x\": only HTTP error statuses (400 to 599) can be retried"]);
        assert.match(problems({ "github:retryableErrors": "[502, 403]" })[0], /lists 403 or 429: those are GitHub's rate limits/);
    });

    it("refuses github:appAuth in plain text without quoting it, as it holds the App's private key", () => {
        const pem = "-----BEGIN RSA PRIVATE KEY-----leaked-if-printed";
        const found = problems({ "github:appAuth": JSON.stringify({ id: "1", installationId: "2", pemFile: pem }) });
        assert.equal(found.length, 1);
        assert.match(found[0], /^github:appAuth: is stored in plain text in the stack file/);
        assert.ok(!found[0].includes("leaked-if-printed"));
        assert.deepEqual(problems({ "github:appAuth": JSON.stringify({ pemFile: pem }) }, ["github:appAuth"]), []);
    });

    it("reads no github: key set as a secret", () => {
        assert.deepEqual(problems({ "github:writeDelayMs": "-5", "github:retryableErrors": "[1]" },
            ["github:writeDelayMs", "github:retryableErrors"]), []);
    });
});
