// A second, independent SCIM 2.0 server for scripts/scim-live-test.py: SCIMMY (its own filter
// parser, list responses and paging) behind its Express routers, users kept in memory.
//
// Usage: NODE_PATH=DIR/node_modules node scim-server-scimmy.cjs PORT TOKEN
// Listens on 127.0.0.1 only; a request without `Authorization: Bearer TOKEN` gets 401.
"use strict";

const express = require("express");
// The routers' own copy of SCIMMY, so that the resources declared are the ones they serve.
const {SCIMMY, SCIMMYRouters} = require("scimmy-routers");

const [port, token] = process.argv.slice(2);
if (!port || !token) {
    console.error("usage: scim-server-scimmy.cjs PORT TOKEN");
    process.exit(2);
}

const users = [];
let nextId = 1;

SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    ingress: (resource, instance) => {
        const user = {...instance, id: String(nextId++)};
        users.push(user);
        return user;
    },
    egress: (resource) => {
        if (resource.id) {
            const user = users.find((u) => u.id === resource.id);
            if (!user) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
            return user;
        }
        return resource.filter ? resource.filter.match(users) : users;
    },
    degress: () => {
        throw new SCIMMY.Types.Error(501, null, "not implemented");
    },
});

const app = express();
app.use("/scim", new SCIMMYRouters({
    type: "bearer",
    handler: (request) => {
        if (request.header("Authorization") !== `Bearer ${token}`) {
            throw new Error("Authorization failed");
        }
        return "usernorm-live-test";
    },
}));
const server = app.listen(Number(port), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
