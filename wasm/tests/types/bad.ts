// What the declarations must reject (tests/types.test.mjs expects exactly these errors).
import { validate, suggest } from "../../pkg/small/web/usernorm.js";

validate("x", "gitlab");
validate("x", { max_lenght: 3 });
suggest("x", 42, 1);
const code: "nope" = validate("x").violations[0].code;
import type {} from "../../pkg/field.js";
document.createElement("usernorm-field").taken = 42;
document.createElement("usernorm-field").available = (name: string) => name === "x";
document.createElement("usernorm-field").policy = "gitlab";
import { audit } from "../../pkg/full/web/usernorm.js";
audit("x", { members: [{ username: "a" }] });
audit("x", { idp: "ping" });
