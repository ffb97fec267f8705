//! The overloaded CI machine: busy processes on every core but one, for as long as this lives.

use std::process::{Child, Command};

pub struct Hog(Vec<Child>);

impl Hog {
    pub fn start(command: &[String]) -> Hog {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let copies = cores.saturating_sub(1).max(1);
        let children = (0..copies)
            .map(|_| Command::new(&command[0]).args(&command[1..]).spawn().expect("start the CPU hog"))
            .collect();
        Hog(children)
    }
}

impl Drop for Hog {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
