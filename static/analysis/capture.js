// Capture page: live camera preview with guidance (getUserMedia) where allowed; otherwise the
// file input (with capture="user", phones open the front camera). Both end in the same form POST.
(function () {
  "use strict";
  var form = document.getElementById("capture-form");
  var input = document.getElementById("photo");
  var preview = document.getElementById("photo-preview");
  var keyField = document.getElementById("idempotency-key");
  if (!form || !input) return;
  // Strings come from Django's JavaScript catalog (base.html loads it before this script).
  var gettext = window.gettext || function (s) { return s; };

  // One key per chosen photo: a double submit creates one analysis.
  function newKey() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }
  keyField.value = newKey();
  input.addEventListener("change", function () {
    keyField.value = newKey();
    if (input.files && input.files[0] && preview) {
      preview.src = URL.createObjectURL(input.files[0]);
      preview.hidden = false;
    }
  });
  form.addEventListener("submit", function () {
    var btn = document.getElementById("capture-submit");
    if (btn) { btn.disabled = true; btn.textContent = gettext("Uploading…"); }
  });

  var startBtn = document.getElementById("camera-start");
  var box = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var canvas = document.getElementById("camera-canvas");
  var guidance = document.getElementById("camera-guidance");
  var oval = box ? box.querySelector(".camera-oval") : null;
  var stream = null;
  var timer = null;
  if (!startBtn || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.DataTransfer) return;
  startBtn.hidden = false;

  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    box.hidden = true;
  }

  // Guidance from the centre of the frame: mean brightness and a rough sharpness (mean gradient).
  function guide() {
    if (!video.videoWidth) return;
    var w = 96, h = 128;
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, w, h);
    var px = ctx.getImageData(w * 0.25, h * 0.2, w * 0.5, h * 0.6).data;
    var sum = 0, grad = 0, n = 0, prev = null;
    for (var i = 0; i < px.length; i += 4) {
      var y = 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
      sum += y; n++;
      if (prev !== null) grad += Math.abs(y - prev);
      prev = y;
    }
    var mean = sum / n, sharp = grad / n, msg, ok = false;
    if (mean < 60) msg = gettext("Too dark: face a window or a lamp.");
    else if (mean > 215) msg = gettext("Too bright: step out of direct sunlight.");
    else if (sharp < 2) msg = gettext("Hold still: the picture is blurry.");
    else { msg = gettext("Good light. Keep your face inside the oval and take the photo."); ok = true; }
    guidance.textContent = msg;
    if (oval) oval.classList.toggle("ok", ok);
  }

  startBtn.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "user", width: { ideal: 1280 } }, audio: false })
      .then(function (s) {
        stream = s; video.srcObject = s; box.hidden = false;
        timer = setInterval(guide, 500);
      })
      .catch(function () {
        guidance.textContent = gettext("The camera is not available; choose a photo instead.");
        startBtn.hidden = true;
      });
  });
  document.getElementById("camera-stop").addEventListener("click", stop);
  document.getElementById("camera-shoot").addEventListener("click", function () {
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    canvas.toBlob(function (blob) {
      var dt = new DataTransfer();
      dt.items.add(new File([blob], "selfie.jpg", { type: "image/jpeg" }));
      input.files = dt.files;
      input.dispatchEvent(new Event("change"));
      stop();
    }, "image/jpeg", 0.92);
  });
})();
