// The scorecard form's "9 of 14 rated": the server prints it right for the page as
// sent; this keeps it right as the interviewer picks levels. A skill counts once any
// of its choices (a level or "Not assessed") is picked.
"use strict";

document.querySelectorAll("[data-rating-progress]").forEach((counter) => {
  const form = counter.closest("form");
  const shown = counter.querySelector("[data-rated]");
  const skills = Array.from(form.querySelectorAll("fieldset.skill"));
  const update = () => {
    const rated = skills.filter((skill) => skill.querySelector("input[type=radio]:checked"));
    if (shown.textContent !== String(rated.length)) {
      shown.textContent = String(rated.length);
    }
  };
  form.addEventListener("change", update);
  // The browser may restore earlier choices (back button, reload): count them too.
  update();
});
