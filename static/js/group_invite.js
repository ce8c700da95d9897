// The group room's invite link: "Copy link" puts it on the clipboard (the field stays
// selectable for browsers without clipboard access). Loaded on templates/lessons/groups/room.html.
(() => {
  const button = document.getElementById("copy-invite");
  const field = document.getElementById("invite-url");
  const status = document.getElementById("copy-status");
  if (!button || !field) return;
  const label = button.textContent;
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      // No clipboard permission: the selected text can be copied by hand.
      if (status) status.textContent = gettext("Select the link and copy it.");
      return;
    }
    button.textContent = button.dataset.copied || label;
    if (status) status.textContent = gettext("Invite link copied.");
    setTimeout(() => { button.textContent = label; }, 2000);
  });
})();
