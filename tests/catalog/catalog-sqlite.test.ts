import { catalogContract } from "./catalog-contract";
import { tempSqliteCatalog } from "../support/temp-db";

catalogContract("SQLite", tempSqliteCatalog);
