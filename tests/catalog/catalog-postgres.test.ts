// Needs the PostgreSQL test database (POSTGRES_TEST_URL; scripts/test.sh and .ci/run start Debian's postgresql).
import { catalogContract } from "./catalog-contract";
import { freshPostgresCatalog } from "../support/temp-db";
import { settings } from "../../lib/settings";

catalogContract("PostgreSQL", () => freshPostgresCatalog(settings().postgresTestUrl));
