"use client";

// Same recovery UI as the species index.
export { default } from "../error";
