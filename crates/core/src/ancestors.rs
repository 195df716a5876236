//! The nodes containing an offset, found by walking down from the last offset's chain.
//! `Node::parent` searches from the root each time: climbing by it through a deep tree (a
//! `+` chain of thousands of pieces) costs the square of the depth for every node asked
//! about, while offsets asked in file order cost, in all, about one step per node.

use tree_sitter::Node;

/// The chain of nodes down to an offset, outermost (the root) first.
pub struct Ancestors<'t>(Vec<Node<'t>>);

impl<'t> Ancestors<'t> {
    /// A chain holding only `root`.
    pub fn new(root: Node<'t>) -> Self {
        Ancestors(vec![root])
    }

    /// The chain down to the smallest node containing `offset`. Cheapest when offsets come
    /// in file order: each walk starts from the deepest node the last one shares with it.
    pub fn at(&mut self, offset: usize) -> &[Node<'t>] {
        while self.0.len() > 1
            && self.0.last().is_some_and(|n| !(n.start_byte() <= offset && offset < n.end_byte()))
        {
            self.0.pop();
        }
        let Some(&from) = self.0.last() else { return &[] };
        let mut cursor = from.walk();
        while cursor.goto_first_child_for_byte(offset).is_some() && cursor.node().start_byte() <= offset {
            self.0.push(cursor.node());
        }
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Ancestors;
    use crate::Lang;

    #[test]
    fn chains_match_the_parents() {
        let src = "q = ('a' + 'b') + f(x, 'c')\n";
        let tree = Lang::Python.parse(src);
        let mut ancestors = Ancestors::new(tree.root_node());
        for offset in [5, 11, 24, 1, 25] {
            let chain = ancestors.at(offset).to_vec();
            let last = *chain.last().unwrap();
            let mut climbed = vec![last];
            while let Some(p) = climbed.last().unwrap().parent() {
                climbed.push(p);
            }
            climbed.reverse();
            assert_eq!(chain, climbed, "at {offset}");
        }
    }
}
