import { graphStoreContract } from "../contract.js";
import { describeWithGremlin, openTestGraphStore } from "./testing/subject.js";

describeWithGremlin("GremlinGraphStore on a real Gremlin Server", () => {
  graphStoreContract("gremlin", async () => openTestGraphStore());
});
