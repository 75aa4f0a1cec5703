// ODK Web Forms as its README says to use it: a Vue app that installs webFormsPlugin and
// renders <OdkWebForm> from the bench's XForm. The XForm is bundled into the script, which
// saves ODK the request a server would answer with it.
import { createApp, h } from "vue";
import { OdkWebForm, webFormsPlugin } from "@getodk/web-forms";
import formXml from "../form.xml?raw";

const app = createApp({
  render: () =>
    h(OdkWebForm, {
      formXml,
      fetchFormAttachment: () => Promise.reject(new Error("the bench's form has no attachments")),
      onSubmit: (_payload, callback) => callback?.({ status: "success" }),
    }),
});
app.use(webFormsPlugin);
app.mount("#app");
