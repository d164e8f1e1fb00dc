import { decisionsContract } from "./decisions-contract";
import { tempSqliteCatalog } from "../support/temp-db";

decisionsContract("SQLite", tempSqliteCatalog);
