window.demo = 1;
