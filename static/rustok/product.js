// A product's page, enhanced (templates/storefront/catalog/product.html; the page works without
// this): the variant picker updates the price, stock, SKU and the buy form in place, from the
// variants the page embeds (#product-variants); the thumbnails switch the gallery's picture; the
// buy form gets the reader's CSRF token when it is sent (the page is shared by the page cache and
// holds none: apps/catalog/views/product.py).
(function () {
  "use strict";

  var cookie = window.rustok.cookie; // storefront.js, loaded before this file

  function matches(variant, chosen) {
    return Object.keys(chosen).every(function (slug) {
      return variant.options[slug] === chosen[slug];
    });
  }

  function setUpPicker(article, data) {
    var picker = article.querySelector("[data-picker]");
    if (!picker) return;
    var offer = article.querySelector("[data-offer]");
    var buy = article.querySelector("[data-buy]");
    var show = picker.querySelector("[data-show]");
    if (show) show.hidden = true;

    function chosen() {
      var found = {};
      picker.querySelectorAll("input[type=radio]:checked").forEach(function (radio) {
        found[radio.name] = radio.value;
      });
      return found;
    }

    function markAvailable(choice) {
      picker.querySelectorAll("input[type=radio]").forEach(function (radio) {
        var wanted = Object.assign({}, choice);
        wanted[radio.name] = radio.value;
        var available = data.variants.some(function (v) {
          return v.buyable && matches(v, wanted);
        });
        radio.closest("label").classList.toggle("unavailable", !available);
        radio.closest("label").querySelector("[data-unavailable]").hidden = available;
      });
    }

    function update(event) {
      var choice = chosen();
      var matching = data.variants.filter(function (v) {
        return matches(v, choice);
      });
      var variant =
        matching.filter(function (v) {
          return v.buyable;
        })[0] || matching[0] || null;
      offer.querySelector("[data-no-variant]").hidden = !!variant;
      offer.querySelector("[data-stock]").hidden = !variant;
      offer.querySelector("[data-sku-line]").hidden = !variant;
      var compareAt = offer.querySelector("[data-compare-at]");
      if (variant) {
        offer.querySelector("[data-price]").textContent = variant.price;
        compareAt.hidden = !variant.compare_at;
        compareAt.querySelector("[data-compare-at-value]").textContent = variant.compare_at;
        var stock = offer.querySelector("[data-stock]");
        stock.textContent = variant.stock_label;
        stock.className = "availability stock-" + variant.stock;
        offer.querySelector("[data-sku]").textContent = variant.sku;
      } else {
        compareAt.hidden = true;
      }
      if (buy) {
        buy.querySelector("[data-variant]").value = variant ? variant.id : "";
        var button = buy.querySelector("[data-buy-button]");
        var reason = buy.querySelector("[data-buy-reason]");
        var buyable = !!(variant && variant.buyable);
        button.disabled = !buyable;
        if (buyable) button.removeAttribute("aria-describedby");
        else button.setAttribute("aria-describedby", reason.id);
        reason.hidden = buyable;
        reason.textContent = variant ? data.reasons.out_of_stock : data.reasons.no_variant;
      }
      markAvailable(choice);
      if (!event) return; // the page as loaded: its address stays
      var url = new URL(window.location.href);
      Object.keys(choice).forEach(function (slug) {
        url.searchParams.set(slug, choice[slug]);
      });
      ["variant", "buy", "quantity"].forEach(function (name) {
        url.searchParams.delete(name);
      });
      window.history.replaceState(null, "", url.toString());
    }

    picker.addEventListener("change", update);
    picker.addEventListener("submit", function (event) {
      event.preventDefault();
      update(event);
    });
    // A browser going back may restore other choices than the page was rendered with.
    window.addEventListener("pageshow", function () {
      update(null);
    });
  }

  function setUpGallery(article) {
    var gallery = article.querySelector("[data-gallery]");
    var thumbnails = article.querySelector("[data-thumbnails]");
    if (!gallery || !thumbnails) return;
    var items = gallery.querySelectorAll("[data-gallery-item]");
    var buttons = thumbnails.querySelectorAll("[data-thumbnail]");
    thumbnails.hidden = false;

    function showPicture(index) {
      items.forEach(function (item, n) {
        item.hidden = n !== index;
      });
      buttons.forEach(function (button, n) {
        button.setAttribute("aria-pressed", n === index ? "true" : "false");
      });
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        showPicture(Number(button.getAttribute("data-thumbnail")));
      });
    });
    showPicture(0);
  }

  function setUpBuy(article) {
    var form = article.querySelector("[data-buy]");
    if (!form) return;
    var token = form.querySelector("[data-csrf]");
    if (!token) return; // the token is in the page (a signed-in reader's, never shared)
    // Post straight to the cart instead of asking for the confirmation page.
    var button = form.querySelector("[data-buy-button]");
    ["formmethod", "formaction", "name", "value"].forEach(function (name) {
      button.removeAttribute(name);
    });
    form.querySelectorAll("[data-no-post]").forEach(function (input) {
      input.disabled = true;
    });
    var cookieName = form.getAttribute("data-csrf-cookie");

    function send(value) {
      token.value = value;
      token.disabled = false;
      form.submit();
    }

    form.addEventListener("submit", function (event) {
      if (!token.disabled) return;
      event.preventDefault();
      var value = cookie(cookieName);
      if (value) {
        send(value);
        return;
      }
      // No token yet in this browser: ask for one (it sets the cookie), then send.
      fetch(form.getAttribute("data-csrf-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : {};
        })
        .then(function (body) {
          var fetched = cookie(cookieName) || body.csrf_token;
          if (!fetched) throw new Error("no CSRF token");
          send(fetched);
        })
        .catch(function () {
          // No token to be had: the page that asks to confirm has one (as without JavaScript).
          var url = new URL(form.getAttribute("data-confirm-url"), window.location.href);
          url.searchParams.set("variant", form.querySelector("[data-variant]").value);
          url.searchParams.set("quantity", form.querySelector("[name=quantity]").value);
          url.searchParams.set("buy", "1");
          window.location.href = url.toString();
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var article = document.querySelector("[data-product]");
    var script = document.getElementById("product-variants");
    if (!article) return;
    if (script) setUpPicker(article, JSON.parse(script.textContent));
    setUpGallery(article);
    setUpBuy(article);
  });
})();
