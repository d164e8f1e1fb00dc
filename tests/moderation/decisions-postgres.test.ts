// Needs the PostgreSQL test database (POSTGRES_TEST_URL).
import { decisionsContract } from "./decisions-contract";
import { freshPostgresCatalog } from "../support/temp-db";
import { settings } from "../../lib/settings";

decisionsContract("PostgreSQL", () => freshPostgresCatalog(settings().postgresTestUrl));
