// enketo-core as its README says to use it: the HTML form and model enketo-transformer made
// from ../form.xml (see transform.mjs), a Form over them, then init(); the formhub theme.
import "./theme.scss";
import { Form } from "enketo-core";
import transformed from "./form.generated.json";

const host = document.getElementById("form");
host.innerHTML = transformed.form;
const form = new Form(host.querySelector("form.or"), { modelStr: transformed.model }, {});
const errors = form.init();
if (errors.length) console.error("Enketo could not load the form:", errors);
