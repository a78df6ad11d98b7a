/* Served first in the page head by app_pages/asgi.py (and again by layout.style() for a bare `streamlit run
   dashboard.py`): runs before Streamlit draws anything. Layout and language only, never data. */
(function () {
  if (window.__xanhHead) return;
  window.__xanhHead = true;
  var root = document.documentElement;
  function keepLang() { if (root.getAttribute("lang") !== "vi") root.setAttribute("lang", "vi"); }
  keepLang();

  // Streamlit's own English, as a browser reads it (text and the attributes screen readers announce).
  var WORDS = {
    "Skip to main content": "Chuyển đến nội dung chính",
    "Upload": "Tải lên",
    "Browse files": "Chọn tệp",
    "Drag and drop file here": "Kéo và thả tệp vào đây",
    "Drag and drop files here": "Kéo và thả tệp vào đây",
    "Page not found": "Không tìm thấy trang",
    "Close": "Đóng",
    "Open": "Mở",
    "Cancel": "Hủy",
    "Copy": "Sao chép",
    "Copy to clipboard": "Sao chép",
    "Clear all": "Xóa hết",
    "Clear value": "Xóa lựa chọn",
    "Clear selection": "Bỏ chọn",
    "Select all": "Chọn tất cả",
    "Select...": "Chọn…",
    "Choose an option": "Chọn một mục",
    "No results": "Không có kết quả",
    "No data": "Không có dữ liệu",
    "Empty": "Trống",
    "Search": "Tìm kiếm",
    "Close Search": "Đóng tìm kiếm",
    "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thoát toàn màn hình",
    "Toggle fullscreen": "Bật/tắt toàn màn hình",
    "Download as CSV": "Tải về dạng CSV",
    "Download as PNG": "Tải về dạng PNG",
    "Copy Vega-Lite spec": "Sao chép mô tả biểu đồ (Vega-Lite)",
    "View Source": "Xem mã nguồn biểu đồ",
    "Open in Vega Editor": "Mở trong Vega Editor",
    "Save as SVG": "Lưu dạng SVG",
    "Save as PNG": "Lưu dạng PNG",
    "Show/hide columns": "Ẩn/hiện cột",
    "Show data": "Xem số liệu",
    "Show chart": "Xem biểu đồ",
    "Collapse sidebar": "Thu gọn thanh bên",
    "Expand sidebar": "Mở thanh bên",
    "Sidebar": "Thanh bên",
    "App pages": "Các trang",
    "Main menu": "Trình đơn",
    "Navigate to home page": "Về trang chủ",
    "Running...": "Đang chạy…",
    "Stop script": "Dừng",
    "Rerun": "Chạy lại",
    "Print": "In",
    "Link to heading": "Liên kết tới mục này",
    "Previous page": "Trang trước",
    "Next page": "Trang sau",
    "Previous month": "Tháng trước",
    "Next month": "Tháng sau",
    "Show password": "Hiện mật khẩu",
    "Hide password": "Ẩn mật khẩu",
    "Remove file": "Bỏ tệp",
    "Delete": "Xóa",
    "Notifications": "Thông báo",
    "Markdown content": "Nội dung",
    "Dataframe column menu": "Trình đơn của cột",
    "Button action menu": "Trình đơn của nút",
    "Press Enter to apply": "Nhấn Enter để áp dụng",
    "Press Enter to submit form": "Nhấn Enter để gửi",
    "Sort ascending": "Sắp xếp tăng dần",
    "Sort descending": "Sắp xếp giảm dần",
    "Pin column": "Ghim cột",
    "Unpin column": "Bỏ ghim cột",
    "Hide column": "Ẩn cột",
    "Autosize": "Tự căn độ rộng",
    "Scroll tabs left": "Cuộn sang trái",
    "Scroll tabs right": "Cuộn sang phải",
    "Vega visualization": "Biểu đồ",
  };
  var PATTERNS = [
    [/^(?:Limit )?(\d+)\s?MB per file(?: • (.*))?$/, function (m, mb, kinds) {
      return "Tối đa " + mb + " MB mỗi tệp" + (kinds ? " • " + kinds : "");
    }],
    [/^You have requested page \/?(.*), but no corresponding file was found in the app's pages\/ directory\..*$/,
      function () { return "Trang này không có. Hãy chọn một trang ở trình đơn bên trái."; }],
  ];
  var ATTRS = ["aria-label", "title", "placeholder", "alt", "aria-roledescription", "aria-description"];

  function say(text) {
    var t = text.trim();
    if (!t) return null;
    if (Object.prototype.hasOwnProperty.call(WORDS, t)) return text.replace(t, WORDS[t]);
    for (var i = 0; i < PATTERNS.length; i++) {
      if (PATTERNS[i][0].test(t)) return text.replace(t, t.replace(PATTERNS[i][0], PATTERNS[i][1]));
    }
    return null;
  }
  function fixElement(el) {
    for (var i = 0; i < ATTRS.length; i++) {
      var v = el.getAttribute(ATTRS[i]);
      if (v) { var n = say(v); if (n !== null && n !== v) el.setAttribute(ATTRS[i], n); }
    }
    // A Material icon is a ligature: its name ("holiday_village") must not be read or translated.
    var tid = el.getAttribute("data-testid");
    if ((tid === "stIconMaterial" || tid === "stExpanderToggleIcon" || /material-symbols|material-icons/.test(el.className || ""))
        && el.getAttribute("aria-hidden") !== "true") {
      el.setAttribute("aria-hidden", "true");
      el.setAttribute("translate", "no");
    }
  }
  function fix(node) {
    if (node.nodeType === 3) {
      var n = say(node.nodeValue);
      if (n !== null && n !== node.nodeValue) node.nodeValue = n;
      return;
    }
    if (node.nodeType !== 1) return;
    fixElement(node);
    var all = node.getElementsByTagName("*");
    for (var i = 0; i < all.length; i++) fixElement(all[i]);
    var walk = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (var t = walk.nextNode(); t; t = walk.nextNode()) {
      var s = say(t.nodeValue);
      if (s !== null && s !== t.nodeValue) t.nodeValue = s;
    }
  }
  new MutationObserver(function (records) {
    keepLang();
    for (var i = 0; i < records.length; i++) {
      var r = records[i];
      if (r.type === "childList") { for (var j = 0; j < r.addedNodes.length; j++) fix(r.addedNodes[j]); }
      else if (r.type === "characterData") fix(r.target);
      else if (r.type === "attributes" && r.target.nodeType === 1) fixElement(r.target);
    }
  }).observe(root, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ["lang"].concat(ATTRS),
  });
  document.addEventListener("DOMContentLoaded", function () { fix(document.body); });

  // Expanders open for printing (their HTML tables hold every row), closed again afterwards.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  document.addEventListener("click", function (e) {
    var target = e.target instanceof Element ? e.target : null;
    if (!target) return;
    if (target.closest("button.xanh-print")) { e.preventDefault(); window.print(); return; }
    // On a phone the menu covers the page: close it once a page is chosen.
    if (target.closest('[data-testid="stSidebarNavLink"]') && window.matchMedia("(max-width: 767px)").matches) {
      setTimeout(function () {
        var bar = document.querySelector('[data-testid="stSidebar"]');
        if (!bar || bar.getAttribute("data-collapsed") === "true") return;
        var close = bar.querySelector('[data-testid="stSidebarCollapseButton"] button')
          || bar.querySelector('[data-testid="stSidebarHeader"] button')
          || bar.querySelector('[data-testid="stBaseButton-headerNoPadding"]');
        if (close) close.click();
      }, 50);
    }
  }, true);
})();
