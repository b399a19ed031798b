import { strict as assert } from "assert";
import { secretValues } from "../../policy/secretValues";
import { check, secret, unknownString } from "../kit/policyHarness";
import { kubernetesSecret } from "./fixtures";

const policy = [secretValues];

describe("policy secret-values-are-secret", () => {
    it("passes Secrets whose data and stringData are secrets, whole or value by value, known or not yet", async () => {
        assert.deepEqual(await check([
            kubernetesSecret("whole", { stringData: secret({ identity: "KEY" }) }),
            kubernetesSecret("per-value", { data: { a: secret("YQ=="), b: secret("Yg==") } }),
            kubernetesSecret("pending", { stringData: secret(unknownString) }),
            kubernetesSecret("empty", {}),
        ], policy), []);
    });

    it("fails a Secret with a plaintext value, reported as mandatory although the policy runs at remediate", async () => {
        const found = await check([kubernetesSecret("webhook", { stringData: { address: "https://hooks.slack.com/services/T/B/X" } })], policy);
        assert.deepEqual(found, [{
            policy: "secret-values-are-secret",
            level: "mandatory",
            resource: "secret-webhook",
            message: "Secret team1/webhook carries stringData in plaintext: wrap the value in pulumi.secret() (the " +
                "Kubernetes SDK's Secret class does so itself) so that the state encrypts it and previews hide it.",
        }]);
    });

    it("fails a Secret in which only some values are secret, naming each plaintext field", async () => {
        const found = await check([kubernetesSecret("mixed", { data: { a: secret("YQ=="), b: "Yg==" }, stringData: { c: "c" } })], policy);
        assert.match(found[0].message, /^Secret team1\/mixed carries data and stringData in plaintext/);
    });

    it("fails closed when it runs at a level where the SDK hides secret-ness", async () => {
        const found = await check([kubernetesSecret("sealed", { stringData: secret({ identity: "KEY" }) })],
            [{ ...secretValues, enforcementLevel: "mandatory" }]);
        assert.deepEqual(found.map((v) => v.message), [
            "cannot tell whether Secret team1/sealed holds plaintext: this policy must run at enforcement level remediate, " +
            "the only one at which the policy SDK shows which values are secret.",
        ]);
    });
});
