/**
 * Entry point of the web UI's page (`faultline serve`): the editor beside the report view, which
 * fetches everything from the server.
 */
import "./style.css";
import { startServe } from "./serve.js";
import { takeToken } from "./serve-api.js";

startServe(document.getElementById("app") as HTMLElement, takeToken(), (view) => {
  window.faultline = view;
});
